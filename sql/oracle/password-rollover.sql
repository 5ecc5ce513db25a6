-- After a password change the old one stays valid a day: clients switch without an outage.
ALTER PROFILE c##fraud_service LIMIT PASSWORD_ROLLOVER_TIME 1 CONTAINER = ALL;

-- Every transaction with its account's name and email, its time as a timestamp (the sink stores
-- RECEIVED_AT as epoch microseconds) and the start of the {{windowSeconds}}-second window it falls in.
-- The sink only inserts, so auth_user holds every version of a user row: one row per id is kept.
-- Late-binding (WITH NO SCHEMA BINDING): the view can be created before the sink creates the tables.
CREATE OR REPLACE VIEW fraud.user_transactions AS
SELECT
  t.id AS transaction_id,
  t.account_id,
  u.username,
  u.email,
  t.amount,
  t.ip_address,
  TIMESTAMP 'epoch' + (t.received_at / 1000000) * INTERVAL '1 second' AS received_at,
  TIMESTAMP 'epoch' + (t.received_at / ({{windowSeconds}} * 1000000)) * {{windowSeconds}} * INTERVAL '1 second' AS window_start
FROM public.user_transaction AS t
LEFT JOIN (
  SELECT id, MAX(username) AS username, MAX(email) AS email
  FROM public.auth_user
  GROUP BY id
) AS u ON u.id = t.account_id
WITH NO SCHEMA BINDING;

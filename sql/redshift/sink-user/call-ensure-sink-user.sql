CALL fraud.ensure_sink_user({{userName}});

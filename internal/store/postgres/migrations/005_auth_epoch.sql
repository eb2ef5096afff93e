-- The auth epoch (auth.EpochStore): one row whose number grows, in the
-- transaction of the change, with every account updated or deleted and every
-- session or API token deleted or reassigned, whoever makes the change (a
-- server, `hotgrid user`, a tool writing SQL). Each change also announces
-- the new epoch on channel hotgrid_auth, delivered when it commits, so
-- servers that cache validated sessions drop them without reading the
-- database on every request.
CREATE TABLE auth_epoch (
	id integer PRIMARY KEY CHECK (id = 1),
	n  bigint  NOT NULL
);
INSERT INTO auth_epoch (id, n) VALUES (1, 0);
CREATE FUNCTION auth_epoch_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	v bigint;
BEGIN
	UPDATE auth_epoch SET n = n + 1 WHERE id = 1 RETURNING n INTO v;
	PERFORM pg_notify('hotgrid_auth', v::text);
	RETURN NULL;
END
$$;
CREATE TRIGGER users_auth_epoch AFTER UPDATE OR DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION auth_epoch_bump();
CREATE TRIGGER sessions_auth_epoch_delete AFTER DELETE ON sessions
	FOR EACH ROW EXECUTE FUNCTION auth_epoch_bump();
CREATE TRIGGER sessions_auth_epoch_update AFTER UPDATE OF id, user_id, csrf, created_at ON sessions
	FOR EACH ROW EXECUTE FUNCTION auth_epoch_bump();
CREATE TRIGGER api_tokens_auth_epoch AFTER UPDATE OR DELETE ON api_tokens
	FOR EACH ROW EXECUTE FUNCTION auth_epoch_bump();
CREATE TRIGGER users_auth_epoch_truncate AFTER TRUNCATE ON users
	FOR EACH STATEMENT EXECUTE FUNCTION auth_epoch_bump();
CREATE TRIGGER sessions_auth_epoch_truncate AFTER TRUNCATE ON sessions
	FOR EACH STATEMENT EXECUTE FUNCTION auth_epoch_bump();
CREATE TRIGGER api_tokens_auth_epoch_truncate AFTER TRUNCATE ON api_tokens
	FOR EACH STATEMENT EXECUTE FUNCTION auth_epoch_bump();

-- Offences, their source files and the data version, with PostGIS points.
CREATE EXTENSION IF NOT EXISTS postgis;

-- h3_parent returns the ancestor of an H3 cell index at resolution res by
-- bit arithmetic: set the resolution field (bits 52-55) and fill the digits
-- finer than res with 7. Cells are stored as bigint (H3 indexes never set
-- the top bit).
CREATE FUNCTION h3_parent(cell bigint, res int) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT (cell & ~(15::bigint << 52)) | (res::bigint << 52) | ((1::bigint << ((15 - res) * 3)) - 1)
$$;

CREATE TABLE meta (
	key   text PRIMARY KEY,
	value bigint NOT NULL
);
INSERT INTO meta (key, value) VALUES ('data_version', 0);

CREATE TABLE sources (
	hash        text PRIMARY KEY,
	name        text NOT NULL,
	format      text NOT NULL,
	rows        integer NOT NULL DEFAULT 0,
	accepted    integer NOT NULL DEFAULT 0,
	rejected    integer NOT NULL DEFAULT 0,
	min_time    timestamptz,
	max_time    timestamptz,
	ingested_at timestamptz NOT NULL,
	seq         bigint GENERATED ALWAYS AS IDENTITY
);

CREATE TABLE offences (
	seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id            text NOT NULL,
	source_hash   text NOT NULL,
	source_row    integer NOT NULL,
	force         text NOT NULL,
	occurred_from timestamptz NOT NULL,
	occurred_to   timestamptz NOT NULL,
	month_only    boolean NOT NULL,
	category      text NOT NULL,
	offence_code  text NOT NULL,
	weapon        smallint NOT NULL,
	lon           double precision NOT NULL,
	lat           double precision NOT NULL,
	lsoa          text NOT NULL,
	location      text NOT NULL,
	unit          text NOT NULL,
	outcome       text NOT NULL,
	cell          bigint NOT NULL,
	geom          geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
	-- An offence is keyed by its ID: the Crime ID or force reference, else
	-- "<source sha256>:<row>", so the same file ingested again adds nothing.
	CONSTRAINT offences_id_key UNIQUE (id)
);
CREATE INDEX offences_time_idx ON offences (occurred_from);
CREATE INDEX offences_unit_idx ON offences (unit, occurred_from);
CREATE INDEX offences_geom_idx ON offences USING gist (geom);

-- Plans, capacities, patrol logs, accounts, sessions, API tokens and the
-- audit trail, shared by every hotgrid server over this database.
CREATE TABLE plans (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	unit        text NOT NULL,
	period_from timestamptz NOT NULL,
	period_to   timestamptz NOT NULL,
	state       text NOT NULL,
	version     integer NOT NULL,
	supersedes  bigint,
	note        text NOT NULL,
	areas       jsonb NOT NULL, -- []hotgrid.PlanArea, exactly as saved
	created_by  text NOT NULL,
	updated_by  text NOT NULL,
	agreed_by   text NOT NULL,
	created_at  timestamptz NOT NULL,
	updated_at  timestamptz NOT NULL,
	agreed_at   timestamptz
);
CREATE INDEX plans_unit_idx ON plans (unit, period_from DESC);

-- One row per cell of each plan area, rewritten with the plan, for GIS views.
CREATE TABLE plan_cells (
	plan_id bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
	area    text NOT NULL,
	rank    integer NOT NULL,
	cell    bigint NOT NULL,
	PRIMARY KEY (plan_id, area, cell)
);
CREATE INDEX plan_cells_cell_idx ON plan_cells (cell);

CREATE TABLE capacities (
	unit    text NOT NULL,
	band    text NOT NULL,
	minutes integer NOT NULL,
	PRIMARY KEY (unit, band)
);

CREATE TABLE patrols (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	unit       text NOT NULL,
	plan_id    bigint NOT NULL,
	area       text NOT NULL,
	cell       text NOT NULL,
	start_at   timestamptz NOT NULL,
	minutes    integer NOT NULL,
	source     text NOT NULL,
	ref        text NOT NULL,
	created_by text NOT NULL,
	created_at timestamptz NOT NULL
);
CREATE INDEX patrols_unit_idx ON patrols (unit, start_at);
CREATE INDEX patrols_plan_idx ON patrols (plan_id, start_at);

CREATE TABLE users (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name          text NOT NULL UNIQUE,
	role          text NOT NULL,
	unit          text NOT NULL,
	password_hash text NOT NULL,
	disabled      boolean NOT NULL,
	created_at    timestamptz NOT NULL,
	updated_at    timestamptz NOT NULL
);

CREATE TABLE sessions (
	id         text PRIMARY KEY, -- SHA-256 of the cookie secret
	user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf       text NOT NULL,
	created_at timestamptz NOT NULL,
	last_seen  timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
	id         text PRIMARY KEY, -- SHA-256 of the token
	user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       text NOT NULL,
	created_at timestamptz NOT NULL
);

-- The hash-chained audit trail. time_ns keeps the nanosecond time the hash
-- covers; at is the same instant for people reading the table.
CREATE TABLE audit (
	seq       bigint PRIMARY KEY,
	time_ns   bigint NOT NULL,
	at        timestamptz NOT NULL,
	actor     text NOT NULL,
	action    text NOT NULL,
	objects   text[] NOT NULL,
	recipient text NOT NULL,
	outcome   text NOT NULL,
	detail    text NOT NULL,
	prev      text NOT NULL,
	hash      text NOT NULL
);

-- QGIS layers: every plan's cells, agreed plans' cells with what the data
-- hold for them, and agreed plans' areas as one polygon each.
CREATE VIEW gis_plan_cells AS
SELECT p.id || ':' || pc.area || ':' || s.h3 AS key, p.id AS plan_id, p.unit, p.period_from, p.period_to,
	p.state, p.version, pc.area, pc.rank, pc.cell, s.h3, s.res, s.geom
FROM plans p JOIN plan_cells pc ON pc.plan_id = p.id JOIN cell_shapes s ON s.cell = pc.cell;

CREATE VIEW gis_agreed_plan_cells AS
SELECT g.*, coalesce(c.offences, 0) AS offences, coalesce(c.crimes, 0) AS crimes,
	coalesce(c.knife, 0) AS knife
FROM gis_plan_cells g
LEFT JOIN cell_counts c ON c.res = g.res AND c.cell = g.cell AND c.unit = g.unit
WHERE g.state = 'agreed';

CREATE VIEW gis_agreed_plan_areas AS
SELECT p.id || ':' || pc.area AS key, p.id AS plan_id, p.unit, p.period_from, p.period_to, p.version,
	pc.area, min(pc.rank) AS rank, count(*) AS cells,
	ST_Multi(ST_Union(s.geom))::geometry(MultiPolygon, 4326) AS geom
FROM plans p JOIN plan_cells pc ON pc.plan_id = p.id JOIN cell_shapes s ON s.cell = pc.cell
WHERE p.state = 'agreed'
GROUP BY p.id, pc.area;

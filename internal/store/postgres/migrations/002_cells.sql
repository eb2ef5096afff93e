-- Materialised H3 cells for GIS clients. PostGIS has no H3, so cell
-- polygons are computed in Go (geo.Boundary) and stored in cell_shapes;
-- cell_counts is kept up to date in each ingest transaction.
CREATE TABLE cell_shapes (
	cell bigint PRIMARY KEY,
	res  smallint NOT NULL,
	h3   text NOT NULL,
	geom geometry(Polygon, 4326) NOT NULL
);
CREATE INDEX cell_shapes_geom_idx ON cell_shapes USING gist (geom);

CREATE TABLE cell_counts (
	res        smallint NOT NULL,
	cell       bigint NOT NULL,
	unit       text NOT NULL,
	offences   integer NOT NULL,
	crimes     integer NOT NULL, -- offences other than anti-social behaviour
	knife      integer NOT NULL, -- offences flagged knife or sharp instrument
	month_only integer NOT NULL, -- offences known only to the month
	first_from timestamptz NOT NULL,
	last_to    timestamptz NOT NULL,
	PRIMARY KEY (res, cell, unit)
);

-- QGIS layers.
CREATE VIEW gis_offences AS
SELECT o.seq, o.id, o.force, o.occurred_from, o.occurred_to, o.month_only, o.category, o.offence_code,
	(ARRAY['unknown', 'none', 'knife', 'firearm', 'other'])[o.weapon + 1] AS weapon,
	o.lsoa, o.location, o.unit, o.outcome, to_hex(o.cell) AS h3, s.name AS source_file, o.source_row, o.geom
FROM offences o LEFT JOIN sources s ON s.hash = o.source_hash;

CREATE VIEW gis_cells AS
SELECT c.res || ':' || s.h3 || ':' || c.unit AS key, c.res, s.h3, c.unit, c.offences, c.crimes, c.knife, c.month_only, c.first_from, c.last_to, s.geom
FROM cell_counts c JOIN cell_shapes s ON s.cell = c.cell;

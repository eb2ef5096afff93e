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
SELECT seq, id, force, occurred_from, occurred_to, month_only, category, offence_code,
	(ARRAY['unknown', 'none', 'knife', 'firearm', 'other'])[weapon + 1] AS weapon,
	lsoa, location, unit, outcome, to_hex(cell) AS h3, source_file, source_row, geom
FROM offences;

CREATE VIEW gis_cells AS
SELECT c.res, s.h3, c.unit, c.offences, c.crimes, c.knife, c.month_only, c.first_from, c.last_to, s.geom
FROM cell_counts c JOIN cell_shapes s ON s.cell = c.cell;

// Package score is hotgrid's scoring engine. It loads offences once into a
// compact columnar index, spreads each offence over time bands (aoristic
// apportioning), fills each unit's study area with H3 cells, and scores
// cells by count, harm and recency-weighted harm with Getis-Ord Gi*,
// Benjamini-Hochberg corrected p-values and emerging hot spot trends. Its
// Engine implements hotgrid.Service for the CLI, the server and exports.
package score

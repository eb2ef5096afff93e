// Package crashtest holds hotgrid's crash-safety test (crash_test.go): it
// builds the hotgrid binary, SIGKILLs `hotgrid ingest` at seeded random
// moments while it loads data.police.uk files into SQLite, and checks after
// every kill that the database is intact and every file is wholly present or
// wholly absent, and after a final complete ingest that nothing is missing or
// duplicated. The package has no non-test code.
package crashtest

package ingest

import _ "time/tzdata" // Europe/London on machines without a zoneinfo database

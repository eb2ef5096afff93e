# Golden Gi* z for the Birmingham H3 case, computed by R spdep::localG.
# Inputs (h3_cells.csv: h3,value; h3_neighbours.csv: h3,neighbour, self not
# listed) are written by
#   go test ./internal/score -run TestWriteGoldenInputs -update-golden-inputs
# Regenerate the z (Debian r-cran-spdep 1.2.7) from the repository root with
#   Rscript internal/score/testdata/gistar_golden.R internal/score/testdata
suppressPackageStartupMessages(library(spdep))
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "."
cells <- read.csv(file.path(dir, "h3_cells.csv"), colClasses = c("character", "numeric"))
pairs <- read.csv(file.path(dir, "h3_neighbours.csv"), colClasses = c("character", "character"))
idx <- match(pairs$neighbour, cells$h3)
from <- match(pairs$h3, cells$h3)
stopifnot(!anyNA(idx), !anyNA(from))
nb <- lapply(seq_len(nrow(cells)), function(i) {
  j <- sort(idx[from == i])
  if (length(j) == 0) 0L else as.integer(j)
})
class(nb) <- "nb"
attr(nb, "region.id") <- cells$h3
attr(nb, "sym") <- TRUE
lw <- nb2listw(include.self(nb), style = "B")
z <- as.numeric(localG(cells$value, lw))
out <- data.frame(h3 = cells$h3, z = trimws(formatC(z, digits = 17, format = "g")))
write.csv(out, file.path(dir, "h3_gistar_spdep.csv"), row.names = FALSE, quote = FALSE)
cat(sprintf("wrote %d z values (spdep %s)\n", length(z), packageVersion("spdep")))

# gistar.R: R spdep side of make bench-compare. Reads the Gi* golden case
# (../shared/reference/gistar-golden: cells.csv, neighbours.csv), builds
# binary weights with the cell itself included, checks localG against
# gistar_spdep.csv and prints the median time of 20 runs of localG:
#   Rscript bench/gistar.R DIR      ->  median_seconds=... max_abs_diff=...
suppressMessages(library(spdep))
d <- commandArgs(TRUE)[1]
cells <- read.csv(file.path(d, "cells.csv"), colClasses = c("character", "numeric"))
nbs <- read.csv(file.path(d, "neighbours.csv"), colClasses = "character")
i <- match(nbs$h3, cells$h3)
j <- match(nbs$neighbour, cells$h3)
nb <- split(j, factor(i, levels = seq_len(nrow(cells))))
nb <- lapply(nb, function(v) if (length(v)) sort(as.integer(v)) else 0L)
names(nb) <- NULL
class(nb) <- "nb"
lw <- nb2listw(include.self(nb), style = "B")
gold <- read.csv(file.path(d, "gistar_spdep.csv"), colClasses = c("character", "numeric"))
g <- as.numeric(localG(cells$value, lw))
diff <- max(abs(g - gold$z[match(cells$h3, gold$h3)]))
if (diff > 1e-6) stop(sprintf("localG differs from the golden z by %g", diff))
t <- replicate(20, {
  t0 <- proc.time()[["elapsed"]]
  for (k in 1:10) localG(cells$value, lw)
  (proc.time()[["elapsed"]] - t0) / 10
})
cat(sprintf("median_seconds=%.6f max_abs_diff=%.2g\n", median(t), diff))

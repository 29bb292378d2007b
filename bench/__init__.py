"""Load generator and benchmark of the live engine (`make bench`; docs/benchmarks.md)."""

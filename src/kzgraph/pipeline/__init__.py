"""The build, stage by stage: load -> map -> validate -> reason -> store -> write, put in order by
one run (:mod:`kzgraph.pipeline.run`) that ``kzgraph build``, ``kzgraph check`` and an ingest
all call."""

"""Performance indicators: definitions, snapshots, assessment schemes, rankings and dashboards."""

"""The grid registry: areas, grids, workers, their assignments, departments, coverage checks."""

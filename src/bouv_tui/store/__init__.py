"""The only place that knows SQL. ``db`` opens files, ``read`` reads on the standard
library (fast first screen), ``repo`` writes through SQLModel."""

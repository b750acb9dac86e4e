"""The scale organisation for the benchmarks: its people (``organisation``) and its years of
supervision history (``history``)."""

//! Unit tests of the compiled lexicon on small dictionaries written here.

//! Reading documents: files, YAML/JSON detection by content, source positions for diagnostics.

"""The sovmap ontology: vocabulary, SHACL shapes and reference data."""

"""Impact reports and exports: figures, charts, documents, CSVs (pure)."""

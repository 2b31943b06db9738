# Rule data of vanban (YAML/JSONL), installed as ``extract.rules``.
# Edit the .yaml files; no code lives here.

"""Generation backends: one interface (`Backend.run(requests, sink)`), chosen by config `generate.backend`."""

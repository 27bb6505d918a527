//! Writing output: crate files from templates/, code printed by prettyplease, atomic writes.

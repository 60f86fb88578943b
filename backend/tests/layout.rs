//! The backend's top-level modules depend on each other without a cycle: infrastructure
//! (error, clock, cache, db, config, ...) below `state`, the areas (accounts, registry, ...)
//! above it, and each area only on those below it or beside it one way. A `crate::<module>`
//! path in a module's source (outside comments and tests) is a dependency.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments and without the `#[cfg(test)]` module at its end.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines().map(|l| l.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeMap::new();
    for entry in std::fs::read_dir(&src).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if name == "lib" || name == "main" {
            continue;
        }
        let mut files = Vec::new();
        if path.is_dir() {
            rust_files(&path, &mut files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        } else {
            continue;
        }
        modules.insert(name, files);
    }
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    modules
        .into_iter()
        .map(|(name, files)| {
            let mut uses = BTreeSet::new();
            for file in files {
                let code = code_of(&std::fs::read_to_string(&file).unwrap());
                for (i, _) in code.match_indices("crate::") {
                    let target: String = code[i + 7..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                    if target != name && names.contains(&target) {
                        uses.insert(target);
                    }
                }
            }
            (name, uses)
        })
        .collect()
}

#[test]
fn the_backend_modules_have_no_import_cycle() {
    let graph = dependencies();
    assert!(graph.contains_key("state") && graph.contains_key("accounts"), "read the modules: {:?}", graph.keys());
    // Peel off modules that depend on nothing left; what cannot be peeled is in a cycle.
    let mut left = graph.clone();
    loop {
        let free: Vec<String> = left.iter().filter(|(_, deps)| deps.iter().all(|d| !left.contains_key(d))).map(|(m, _)| m.clone()).collect();
        if free.is_empty() {
            break;
        }
        for m in free {
            left.remove(&m);
        }
    }
    let cycle: Vec<String> = left.iter().map(|(m, deps)| format!("{m} -> {}", deps.iter().filter(|d| left.contains_key(*d)).cloned().collect::<Vec<_>>().join(", "))).collect();
    assert!(cycle.is_empty(), "modules in an import cycle, or depending on one:\n{}", cycle.join("\n"));
    // The layering the architecture describes: nothing below `state` reaches an area.
    for below in ["error", "clock", "cache", "caches", "db", "config", "net", "keys", "principal", "queue", "storage", "notify"] {
        for area in ["accounts", "registry", "reference", "calendar", "jobs", "state"] {
            assert!(!graph[below].contains(area), "{below} depends on {area}");
        }
    }
}

//! Rules as data: load TOML rule files, layer them, compile them once.
//!
//! The built-in pack in `rules/default/` is embedded in the binary. A pack
//! given with `--rules` either stands alone or says `extends = "default"` and
//! is layered on top (same id replaces, new ids add, settings sections
//! replace). Compiling checks every rule against its kind, compiles regexes
//! with size limits, and builds one automaton for every term of every rule so
//! that an article is scanned once. Errors name the file, line and column.

mod lexicon;
pub mod spec;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use regex::Regex;

pub use lexicon::{LexMatch, Lexicon, Owner, PhraseList};
pub use spec::{
    AttributionSpec, ClaimSpec, ExampleSpec, Expect, RuleKind, Scope, ScoringSpec, Severity,
    SourceKind,
};
use spec::{RuleFile, RuleSpec};

/// The built-in pack: (file name, contents), embedded at build time.
const DEFAULT_PACK: &[(&str, &str)] = &[
    (
        "hedges.toml",
        include_str!("../../rules/default/hedges.toml"),
    ),
    (
        "attribution.toml",
        include_str!("../../rules/default/attribution.toml"),
    ),
    (
        "claims.toml",
        include_str!("../../rules/default/claims.toml"),
    ),
    (
        "conflicts.toml",
        include_str!("../../rules/default/conflicts.toml"),
    ),
    (
        "scoring.toml",
        include_str!("../../rules/default/scoring.toml"),
    ),
];

/// Largest compiled size of one rule's regex; keeps a newsroom's rule from
/// eating memory (matching time is linear whatever the pattern).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// A rule file problem a maintainer can act on.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("cannot read rules {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}:{column}: {message}")]
    At {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    File { file: String, message: String },
}

/// What a compiled rule needs from its kind.
#[derive(Debug, Clone)]
pub enum RuleParams {
    Lexicon {
        exceptions: Option<Regex>,
        scope: Scope,
        before_quantity: bool,
    },
    Unsourced {
        /// True when the rule names terms; the claim must contain one.
        has_terms: bool,
        requires_quantity: bool,
    },
    SourceKind {
        source_kind: SourceKind,
    },
    QuantityConflict {
        tolerance: f64,
        /// (predicate name, the words that express it).
        predicates: Vec<(String, Vec<String>)>,
    },
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable dotted id, e.g. `hedge.hearsay`.
    pub id: String,
    /// The id's first part: `hedge`, `unsourced`, `sourcing`, `conflict`.
    pub category: String,
    pub kind: RuleKind,
    pub severity: Severity,
    pub weight: f64,
    pub message: String,
    pub why: String,
    /// The file that defines it, for explanations.
    pub file: String,
    pub terms: Vec<String>,
    pub examples: Vec<ExampleSpec>,
    pub params: RuleParams,
}

/// Everything the analysis needs, compiled once per run.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub attribution: AttributionSpec,
    pub claims: ClaimSpec,
    pub scoring: ScoringSpec,
    /// One automaton over every term of every rule and setting.
    pub lexicon: Lexicon,
    /// Source classification word lists.
    pub speech_verbs: PhraseList,
    pub anonymous: PhraseList,
    pub officials: PhraseList,
    pub vague: PhraseList,
    pub document: PhraseList,
    pub organisation: PhraseList,
    pub pronouns: PhraseList,
    pub roles: PhraseList,
}

/// A parsed file before layering: where it came from and what it says.
struct LoadedFile {
    name: String,
    text: String,
    spec: RuleFile,
}

impl RuleSet {
    /// The built-in pack.
    pub fn default_pack() -> Result<RuleSet, RuleError> {
        let files = default_files()?;
        compile(files)
    }

    /// Loads a pack from a `.toml` file or a folder of them.
    pub fn load(path: &Path) -> Result<RuleSet, RuleError> {
        let io = |source| RuleError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut paths = Vec::new();
        if path.is_dir() {
            for entry in std::fs::read_dir(path).map_err(io)? {
                let entry = entry.map_err(io)?;
                let p = entry.path();
                if p.extension().is_some_and(|e| e == "toml") {
                    paths.push(p);
                }
            }
            paths.sort();
            if paths.is_empty() {
                return Err(RuleError::File {
                    file: path.display().to_string(),
                    message: "no .toml rule files in this folder".into(),
                });
            }
        } else {
            paths.push(path.to_path_buf());
        }
        let mut files = Vec::new();
        for p in &paths {
            let text = std::fs::read_to_string(p).map_err(|source| RuleError::Io {
                path: p.clone(),
                source,
            })?;
            files.push(parse_file(&p.display().to_string(), text)?);
        }
        let extends: Vec<&LoadedFile> = files.iter().filter(|f| f.spec.extends.is_some()).collect();
        for f in &extends {
            let base = f.spec.extends.as_deref().unwrap_or_default();
            if base != "default" {
                return Err(RuleError::File {
                    file: f.name.clone(),
                    message: format!(
                        "extends = {base:?}: only \"default\" (the built-in pack) can be extended"
                    ),
                });
            }
        }
        if extends.is_empty() {
            compile(files)
        } else {
            let mut all = default_files()?;
            all.extend(files);
            compile(all)
        }
    }

    /// Index of the rule with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.id == id)
    }

    /// The score component a rule's findings lower.
    pub fn component_of(&self, rule: &Rule) -> &str {
        self.scoring
            .categories
            .get(&rule.category)
            .map(String::as_str)
            .unwrap_or("")
    }
}

fn default_files() -> Result<Vec<LoadedFile>, RuleError> {
    DEFAULT_PACK
        .iter()
        .map(|(name, text)| parse_file(&format!("rules/default/{name}"), (*text).to_string()))
        .collect()
}

fn parse_file(name: &str, text: String) -> Result<LoadedFile, RuleError> {
    match toml::from_str::<RuleFile>(&text) {
        Ok(spec) => Ok(LoadedFile {
            name: name.to_string(),
            text,
            spec,
        }),
        Err(e) => {
            let message = e.message().to_string();
            Err(match e.span() {
                Some(span) => at(name, &text, span.start, message),
                None => RuleError::File {
                    file: name.to_string(),
                    message,
                },
            })
        }
    }
}

/// An error at a byte offset of a file, as file:line:column.
fn at(file: &str, text: &str, offset: usize, message: String) -> RuleError {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    RuleError::At {
        file: file.to_string(),
        line,
        column,
        message,
    }
}

/// Layers files in order (later ids replace earlier ones, later settings
/// replace earlier ones) and compiles the result.
fn compile(files: Vec<LoadedFile>) -> Result<RuleSet, RuleError> {
    let mut attribution = None;
    let mut claims = None;
    let mut scoring = None;
    // (file index, spec) in layer order; a later layer's id replaces.
    let mut specs: Vec<(usize, RuleSpec)> = Vec::new();
    let mut files = files;
    for (fi, file) in files.iter_mut().enumerate() {
        let mut seen = HashSet::new();
        for rule in std::mem::take(&mut file.spec.rule) {
            let id = rule.id.get_ref().clone();
            if !seen.insert(id.clone()) {
                return Err(at(
                    &file.name,
                    &file.text,
                    rule.id.span().start,
                    format!("duplicate rule id {id:?} in this file; rename or remove one"),
                ));
            }
            if let Some(pos) = specs.iter().position(|(_, s)| *s.id.get_ref() == id) {
                specs[pos] = (fi, rule);
            } else {
                specs.push((fi, rule));
            }
        }
        if let Some(a) = file.spec.attribution.take() {
            attribution = Some(a);
        }
        if let Some(c) = file.spec.claims.take() {
            claims = Some(c);
        }
        if let Some(s) = file.spec.scoring.take() {
            scoring = Some(s);
        }
    }
    let pack = files
        .last()
        .map(|f| f.name.clone())
        .unwrap_or_else(|| "rules".into());
    let missing = |section: &str| RuleError::File {
        file: pack.clone(),
        message: format!(
            "the pack has no [{section}] section; add one, or write `extends = \"default\"` to build on the built-in pack"
        ),
    };
    let attribution = attribution.ok_or_else(|| missing("attribution"))?;
    let claims = claims.ok_or_else(|| missing("claims"))?;
    let scoring = scoring.ok_or_else(|| missing("scoring"))?;

    let mut rules = Vec::with_capacity(specs.len());
    for (fi, spec) in specs {
        rules.push(compile_rule(&files[fi], spec, &scoring)?);
    }
    let lexicon = Lexicon::build(&rules, &attribution, &claims);
    Ok(RuleSet {
        speech_verbs: PhraseList::new(&attribution.speech_verbs),
        anonymous: PhraseList::new(&attribution.anonymous),
        officials: PhraseList::new(&attribution.officials),
        vague: PhraseList::new(&attribution.vague),
        document: PhraseList::new(&attribution.document),
        organisation: PhraseList::new(&attribution.organisation),
        pronouns: PhraseList::new(&attribution.pronouns),
        roles: PhraseList::new(&attribution.roles),
        rules,
        attribution,
        claims,
        scoring,
        lexicon,
    })
}

fn compile_rule(
    file: &LoadedFile,
    spec: RuleSpec,
    scoring: &ScoringSpec,
) -> Result<Rule, RuleError> {
    let err = |message: String| at(&file.name, &file.text, spec.id.span().start, message);
    let id = spec.id.get_ref().clone();
    let valid_id = id.split('.').count() >= 2
        && id.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        });
    if !valid_id {
        return Err(err(format!(
            "rule id {id:?} must be dotted lowercase words, like \"hedge.hearsay\""
        )));
    }
    let category = id.split('.').next().unwrap_or_default().to_string();
    if !scoring.categories.contains_key(&category) {
        return Err(err(format!(
            "rule {id}: category {category:?} has no score component; add `{category} = \"COMPONENT\"` to [scoring.categories]"
        )));
    }
    if !(spec.weight.is_finite() && spec.weight >= 0.0) {
        return Err(err(format!("rule {id}: weight must be a number >= 0")));
    }
    let kind_name = serde_plain_kind(spec.kind);
    let not_for = |key: &str| {
        err(format!(
            "rule {id}: key `{key}` does not apply to kind \"{kind_name}\"; remove it"
        ))
    };
    let terms = spec.terms.clone().unwrap_or_default();
    let params = match spec.kind {
        RuleKind::Lexicon => {
            if terms.is_empty() {
                return Err(err(format!("rule {id}: a lexicon rule needs `terms`")));
            }
            for (key, set) in [
                ("requires-quantity", spec.requires_quantity.is_some()),
                ("source-kind", spec.source_kind.is_some()),
                ("tolerance", spec.tolerance.is_some()),
                ("predicates", spec.predicates.is_some()),
            ] {
                if set {
                    return Err(not_for(key));
                }
            }
            let exceptions = match &spec.exceptions {
                Some(list) if !list.is_empty() => {
                    let pattern = list
                        .iter()
                        .map(|p| format!("(?:{p})"))
                        .collect::<Vec<_>>()
                        .join("|");
                    Some(
                        regex::RegexBuilder::new(&format!("(?i){pattern}"))
                            .size_limit(REGEX_SIZE_LIMIT)
                            .build()
                            .map_err(|e| err(format!("rule {id}: bad exception regex: {e}")))?,
                    )
                }
                _ => None,
            };
            RuleParams::Lexicon {
                exceptions,
                scope: spec.scope.unwrap_or_default(),
                before_quantity: spec.before_quantity.unwrap_or(false),
            }
        }
        RuleKind::Unsourced => {
            for (key, set) in [
                ("exceptions", spec.exceptions.is_some()),
                ("scope", spec.scope.is_some()),
                ("before-quantity", spec.before_quantity.is_some()),
                ("source-kind", spec.source_kind.is_some()),
                ("tolerance", spec.tolerance.is_some()),
                ("predicates", spec.predicates.is_some()),
            ] {
                if set {
                    return Err(not_for(key));
                }
            }
            RuleParams::Unsourced {
                has_terms: !terms.is_empty(),
                requires_quantity: spec.requires_quantity.unwrap_or(false),
            }
        }
        RuleKind::SourceKind => {
            for (key, set) in [
                ("terms", spec.terms.is_some()),
                ("exceptions", spec.exceptions.is_some()),
                ("scope", spec.scope.is_some()),
                ("before-quantity", spec.before_quantity.is_some()),
                ("requires-quantity", spec.requires_quantity.is_some()),
                ("tolerance", spec.tolerance.is_some()),
                ("predicates", spec.predicates.is_some()),
            ] {
                if set {
                    return Err(not_for(key));
                }
            }
            let source_kind = spec
                .source_kind
                .ok_or_else(|| err(format!("rule {id}: a source-kind rule needs `source-kind`")))?;
            RuleParams::SourceKind { source_kind }
        }
        RuleKind::QuantityConflict => {
            for (key, set) in [
                ("terms", spec.terms.is_some()),
                ("exceptions", spec.exceptions.is_some()),
                ("scope", spec.scope.is_some()),
                ("before-quantity", spec.before_quantity.is_some()),
                ("requires-quantity", spec.requires_quantity.is_some()),
                ("source-kind", spec.source_kind.is_some()),
            ] {
                if set {
                    return Err(not_for(key));
                }
            }
            let tolerance = spec.tolerance.unwrap_or(0.1);
            if !(0.0..=10.0).contains(&tolerance) {
                return Err(err(format!(
                    "rule {id}: tolerance must be between 0 and 10"
                )));
            }
            let predicates: BTreeMap<String, Vec<String>> =
                spec.predicates.clone().unwrap_or_default();
            if predicates.is_empty() {
                return Err(err(format!(
                    "rule {id}: a quantity-conflict rule needs `predicates`"
                )));
            }
            RuleParams::QuantityConflict {
                tolerance,
                predicates: predicates.into_iter().collect(),
            }
        }
    };
    Ok(Rule {
        id,
        category,
        kind: spec.kind,
        severity: spec.severity,
        weight: spec.weight,
        message: spec.message,
        why: spec.why,
        file: file.name.clone(),
        terms,
        examples: spec.examples,
        params,
    })
}

fn serde_plain_kind(kind: RuleKind) -> &'static str {
    match kind {
        RuleKind::Lexicon => "lexicon",
        RuleKind::Unsourced => "unsourced",
        RuleKind::SourceKind => "source-kind",
        RuleKind::QuantityConflict => "quantity-conflict",
    }
}

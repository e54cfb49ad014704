//! Which CSV column or JSON key feeds which [`Article`](super::Article) field:
//! field names, their common aliases, and `--map` overrides.
//!
//! Matching is by name only (trimmed, case-insensitive); nothing here looks at
//! the values or guesses a column from its contents.

/// The field names `--map` accepts, for messages.
pub(crate) const FIELD_NAMES: &str = "id, source, author, url, published, title, body";

/// One article field that input can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Id,
    Source,
    Author,
    Url,
    Published,
    Title,
    Body,
}

/// One value per [`Field`], indexed by [`Field::index`].
pub(crate) type FieldValues = [String; 7];

impl Field {
    /// Every field, in [`Field::index`] order.
    pub(crate) const ALL: [Field; 7] = [
        Field::Id,
        Field::Source,
        Field::Author,
        Field::Url,
        Field::Published,
        Field::Title,
        Field::Body,
    ];

    /// Position of the field in [`FieldValues`] and similar arrays.
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The field's own name, which is also its preferred column name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Source => "source",
            Field::Author => "author",
            Field::Url => "url",
            Field::Published => "published",
            Field::Title => "title",
            Field::Body => "body",
        }
    }

    /// Other column names that commonly hold this field, best first.
    ///
    /// Spaces and hyphens in a column name are read as underscores before
    /// comparing, so `Published At` matches `published_at`.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["article_id", "doc_id", "guid"],
            Field::Source => &["outlet", "publisher", "domain", "site", "publication"],
            Field::Author => &["byline", "authors"],
            Field::Url => &["link", "article_url"],
            Field::Published => &[
                "date",
                "published_at",
                "publish_date",
                "date_published",
                "pubdate",
            ],
            Field::Title => &["headline"],
            // `maintext` is what news-please writes.
            Field::Body => &[
                "text",
                "content",
                "article",
                "maintext",
                "full_text",
                "article_text",
                "body_text",
            ],
        }
    }

    /// The field called `name` (trimmed, any case).
    pub(crate) fn parse(name: &str) -> Option<Field> {
        let name = name.trim().to_ascii_lowercase();
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Parses a `--map` argument `field=column` into `(field, column)`.
///
/// The field is returned in its canonical lowercase spelling and the column
/// trimmed. Fails, explaining what was expected, without a `=`, with an empty
/// column, or with a field other than id, source, author, url, published,
/// title or body.
pub fn parse_map(spec: &str) -> Result<(String, String), String> {
    let Some((field, column)) = spec.split_once('=') else {
        return Err(format!(
            "--map expects FIELD=COLUMN, for example body=text; got `{spec}`"
        ));
    };
    let (field, column) = check_map(field, column)?;
    Ok((field.name().to_owned(), column))
}

fn check_map(field: &str, column: &str) -> Result<(Field, String), String> {
    let Some(parsed) = Field::parse(field) else {
        return Err(format!(
            "--map: unknown field `{}`; the field must be one of {FIELD_NAMES}",
            field.trim()
        ));
    };
    let column = column.trim();
    if column.is_empty() {
        return Err(format!(
            "--map {}=: the column name is empty",
            parsed.name()
        ));
    }
    Ok((parsed, column.to_owned()))
}

/// Column names compare trimmed and case-insensitively.
fn normalize(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The column chosen for each field, by index into the columns or keys.
pub(crate) type Slots = [Option<usize>; 7];

/// Resolves column names to fields, honouring `--map`.
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldMap {
    /// `--map` column per field: (as given, normalized).
    mapped: [Option<(String, String)>; 7],
}

impl FieldMap {
    /// Builds the map from `(field, column)` pairs; a later pair for the same
    /// field wins, as on a command line.
    pub(crate) fn new(map: &[(String, String)]) -> Result<FieldMap, String> {
        let mut out = FieldMap::default();
        for (field, column) in map {
            let (field, column) = check_map(field, column)?;
            let norm = normalize(&column);
            out.mapped[field.index()] = Some((column, norm));
        }
        Ok(out)
    }

    /// The `--map` column for `field`, as given.
    pub(crate) fn mapped(&self, field: Field) -> Option<&str> {
        self.mapped[field.index()].as_ref().map(|(c, _)| c.as_str())
    }

    /// How well a column fits a field: 0 is best, `None` means not at all.
    ///
    /// `loose` is `norm` with spaces and hyphens as underscores, and
    /// `claimed` whether `--map` gave the column to some field: both are
    /// the column's, worked out once for all seven fields.
    fn rank(&self, field: Field, norm: &str, loose: &str, claimed: bool) -> Option<usize> {
        if let Some((_, wanted)) = &self.mapped[field.index()] {
            return (norm == wanted).then_some(0);
        }
        // A column the user assigned to another field is theirs, not an
        // alias candidate for this one.
        if claimed {
            return None;
        }
        if norm == field.name() {
            return Some(0);
        }
        if loose == field.name() {
            return Some(1);
        }
        field
            .aliases()
            .iter()
            .position(|alias| *alias == loose)
            .map(|p| p + 2)
    }

    /// Picks the best column for every field; the first column wins a tie.
    pub(crate) fn resolve<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Slots {
        let mut best: [Option<(usize, usize)>; 7] = [None; 7];
        for (i, name) in names.into_iter().enumerate() {
            let norm = normalize(name);
            let loose = norm.replace([' ', '-'], "_");
            let claimed = self
                .mapped
                .iter()
                .flatten()
                .any(|(_, column)| *column == norm);
            for field in Field::ALL {
                let Some(rank) = self.rank(field, &norm, &loose, claimed) else {
                    continue;
                };
                let slot = &mut best[field.index()];
                if slot.is_none_or(|(r, _)| rank < r) {
                    *slot = Some((rank, i));
                }
            }
        }
        best.map(|b| b.map(|(_, i)| i))
    }

    /// The names looked for when filling `field`, for error messages.
    pub(crate) fn looked_for(&self, field: Field) -> String {
        match self.mapped(field) {
            Some(column) => format!("`{column}` (from --map)"),
            None => std::iter::once(field.name())
                .chain(field.aliases().iter().copied())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_map_accepts_known_fields() {
        assert_eq!(
            parse_map("body=text"),
            Ok(("body".to_owned(), "text".to_owned()))
        );
        assert_eq!(
            parse_map(" Title = Head Line "),
            Ok(("title".to_owned(), "Head Line".to_owned()))
        );
        // Only the first `=` splits: column names may contain one.
        assert_eq!(
            parse_map("url=a=b"),
            Ok(("url".to_owned(), "a=b".to_owned()))
        );
    }

    #[test]
    fn parse_map_explains_errors() {
        let err = parse_map("bodyy=text").unwrap_err();
        assert!(err.contains("bodyy"), "{err}");
        assert!(err.contains(FIELD_NAMES), "{err}");
        assert!(parse_map("body").unwrap_err().contains("FIELD=COLUMN"));
        assert!(parse_map("body= ").unwrap_err().contains("empty"));
    }

    #[test]
    fn resolve_prefers_name_then_aliases_in_order() {
        let map = FieldMap::default();
        let slots = map.resolve(["Content", " TEXT ", "Headline", "Published At"]);
        assert_eq!(slots[Field::Body.index()], Some(1));
        assert_eq!(slots[Field::Title.index()], Some(2));
        assert_eq!(slots[Field::Published.index()], Some(3));
        assert_eq!(slots[Field::Id.index()], None);
        let slots = map.resolve(["text", "body"]);
        assert_eq!(slots[Field::Body.index()], Some(1));
    }

    #[test]
    fn map_wins_and_claims_its_column() {
        let map = FieldMap::new(&[("title".into(), "Text".into())]).unwrap();
        let slots = map.resolve(["text", "content"]);
        assert_eq!(slots[Field::Title.index()], Some(0));
        assert_eq!(slots[Field::Body.index()], Some(1));
        assert!(FieldMap::new(&[("nope".into(), "x".into())]).is_err());
    }
}

//! Folder reader: every article file directly in a folder, in file-name order.
//!
//! Text and Markdown files are one article each; CSV and JSON Lines files
//! are read with their own readers. Sorting by name makes runs repeatable
//! whatever order the file system lists entries in. A file that cannot be
//! opened or read becomes a record error and the next file is read. This
//! module does not descend into subfolders and skips hidden files (`.name`)
//! and files of other types.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::fields::FieldMap;
use super::{
    Ctx, InputError, InputFormat, Record, RecordError, Records, file_stem, folder_name,
    known_extension, open_file, reason_of,
};

/// Lists the folder and returns its records, read one file at a time.
pub(super) fn open(
    dir: &Path,
    source: Option<String>,
    fields: FieldMap,
    max_body: usize,
) -> Result<Records, InputError> {
    let io_error = |source| InputError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files: Vec<(OsString, InputFormat)> = Vec::new();
    let mut errors = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error)? {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(RecordError {
                    file: dir.display().to_string(),
                    location: String::new(),
                    id: String::new(),
                    reason: format!("cannot list an entry of the folder: {e}"),
                });
                continue;
            }
        };
        let name = entry.file_name();
        if name.as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let Some(format) = known_extension(Path::new(&name)) else {
            continue;
        };
        // Follows symbolic links; an entry whose type cannot be read is kept
        // so that opening it reports why.
        if std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        files.push((name, format));
    }
    if files.is_empty() && errors.is_empty() {
        return Err(InputError::Invalid {
            path: dir.to_path_buf(),
            message: "no .txt, .md, .csv or .jsonl files in this folder".to_owned(),
        });
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let records = DirRecords {
        dir: dir.to_path_buf(),
        folder: folder_name(dir),
        source,
        fields,
        max_body,
        errors: errors.into_iter(),
        files: files.into_iter(),
        current: None,
    };
    Ok(Records::new(records))
}

/// Records of a folder's files, one file after another.
struct DirRecords {
    dir: PathBuf,
    /// The folder's name: the source of last resort for all its files.
    folder: String,
    source: Option<String>,
    fields: FieldMap,
    max_body: usize,
    errors: std::vec::IntoIter<RecordError>,
    files: std::vec::IntoIter<(OsString, InputFormat)>,
    current: Option<Records>,
}

impl Iterator for DirRecords {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        if let Some(error) = self.errors.next() {
            return Some(Err(error));
        }
        loop {
            if let Some(record) = self.current.as_mut().and_then(Iterator::next) {
                return Some(record);
            }
            self.current = None;
            let (name, format) = self.files.next()?;
            let path = self.dir.join(&name);
            let ctx = Ctx {
                file: path.display().to_string(),
                stem: file_stem(&path),
                folder: self.folder.clone(),
                source: self.source.clone(),
                fields: self.fields.clone(),
                max_body: self.max_body,
            };
            let file = ctx.file.clone();
            match open_file(&path, format, ctx) {
                Ok(records) => self.current = Some(records),
                Err(error) => {
                    return Some(Err(RecordError {
                        file,
                        location: String::new(),
                        id: String::new(),
                        reason: reason_of(&error),
                    }));
                }
            }
        }
    }
}

//! Bulk import of devices from CSV. Every row is checked first; if any cell is wrong nothing is
//! imported and each problem is named by line and column.
//!
//! The header names the columns, in any order: `external_id` and `name` (required), `kind`,
//! `group` (a group's name), `latitude`, `longitude`, `tags` (separated by `;`). Any other
//! column becomes a metadata field of that name.

use super::{insert, registered};
use crate::auth::ctx::WorkspaceCtx;
use crate::{audit, BackendError};
use model::access::Action;
use model::devices::{
    DeviceDraft, ImportProblem, ImportReport, EXTERNAL_ID_TAKEN, NO_SUCH_GROUP_NAMED,
};
use std::collections::HashMap;

/// Largest file accepted.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Most rows one import may hold.
pub const MAX_ROWS: usize = 50_000;
/// Most problems reported (the first ones, in file order).
pub const MAX_PROBLEMS: usize = 200;

const KNOWN: [&str; 7] = [
    "external_id",
    "name",
    "kind",
    "group",
    "latitude",
    "longitude",
    "tags",
];

fn at(line: u64, column: &str, message: impl Into<String>) -> ImportProblem {
    ImportProblem {
        line,
        column: column.into(),
        message: message.into(),
    }
}

/// Checks every row of `text` against the registry and the groups; the drafts ready to insert,
/// each with its line, or every problem found.
pub fn check(
    text: &str,
    groups_by_name: &HashMap<String, String>,
    registered: &std::collections::HashSet<String>,
) -> Result<Vec<(u64, DeviceDraft)>, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    if text.len() > MAX_BYTES {
        return Err(vec![at(
            1,
            "",
            format!("The file is larger than {} MB.", MAX_BYTES / 1024 / 1024),
        )]);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => return Err(vec![at(1, "", format!("The header cannot be read: {e}"))]),
    };
    if header.iter().all(|c| c.is_empty()) {
        return Err(vec![at(
            1,
            "",
            "The file is empty: the first line must name the columns.",
        )]);
    }
    for required in ["external_id", "name"] {
        if !header.iter().any(|c| c == required) {
            problems.push(at(
                1,
                required,
                format!("The header has no {required} column."),
            ));
        }
    }
    for (i, column) in header.iter().enumerate() {
        if column.is_empty() {
            problems.push(at(1, &format!("#{}", i + 1), "This column has no name."));
        } else if header[..i].contains(column) {
            problems.push(at(1, column, "This column is named twice."));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let col = |name: &str| header.iter().position(|c| c == name);
    // The reader's own line count skips blank lines; count newlines up to the record instead.
    let line_at = |position: Option<&csv::Position>| {
        position.map_or(0, |p| {
            let bytes = text.as_bytes();
            let mut end = (p.byte() as usize).min(bytes.len());
            // A record's position is where its reading began, before the blank lines it skipped.
            while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
                end += 1;
            }
            bytes[..end].iter().filter(|&&b| b == b'\n').count() as u64 + 1
        })
    };
    let mut drafts = Vec::new();
    let mut first_line_of: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = line_at(e.position());
                problems.push(at(line, "", format!("This line cannot be read: {e}")));
                continue;
            }
        };
        let line = line_at(record.position());
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        if drafts.len() + problems.len() >= MAX_ROWS {
            problems.push(at(
                line,
                "",
                format!("At most {MAX_ROWS} devices per import."),
            ));
            break;
        }
        if record.len() != header.len() {
            problems.push(at(
                line,
                "",
                format!(
                    "This line has {} fields; the header has {}.",
                    record.len(),
                    header.len()
                ),
            ));
            continue;
        }
        let cell = |name: &str| {
            col(name)
                .and_then(|i| record.get(i))
                .unwrap_or("")
                .to_string()
        };
        let mut row_problems = Vec::new();
        let number = |name: &str, problems: &mut Vec<ImportProblem>| -> Option<f64> {
            let text = cell(name);
            if text.is_empty() {
                return None;
            }
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => {
                    problems.push(at(line, name, format!("{text:?} is not a number.")));
                    None
                }
            }
        };
        let latitude = number("latitude", &mut row_problems);
        let longitude = number("longitude", &mut row_problems);
        let group_name = cell("group");
        let group_id = if group_name.is_empty() {
            None
        } else {
            match groups_by_name.get(&group_name.to_lowercase()) {
                Some(id) => Some(id.clone()),
                None => {
                    row_problems.push(at(
                        line,
                        "group",
                        format!("{group_name:?}: {NO_SUCH_GROUP_NAMED}"),
                    ));
                    None
                }
            }
        };
        let metadata = header
            .iter()
            .enumerate()
            .filter(|(_, c)| !KNOWN.contains(&c.as_str()))
            .map(|(i, c)| (c.clone(), record.get(i).unwrap_or("").to_string()))
            .collect();
        let draft = DeviceDraft {
            external_id: cell("external_id"),
            name: cell("name"),
            kind: cell("kind"),
            group_id,
            latitude,
            longitude,
            tags: cell("tags").split(';').map(str::to_string).collect(),
            metadata,
        };
        // A cell that is not a number is reported once, not again as a missing coordinate.
        let unparsed: Vec<String> = row_problems.iter().map(|p| p.column.clone()).collect();
        match draft.checked() {
            Ok(draft) => {
                if registered.contains(&draft.external_id) {
                    row_problems.push(at(
                        line,
                        "external_id",
                        format!("{}: {EXTERNAL_ID_TAKEN}", draft.external_id),
                    ));
                } else if let Some(first) = first_line_of.get(&draft.external_id) {
                    row_problems.push(at(
                        line,
                        "external_id",
                        format!("{} is on line {first} already.", draft.external_id),
                    ));
                } else {
                    first_line_of.insert(draft.external_id.clone(), line);
                }
                if row_problems.is_empty() {
                    drafts.push((line, draft));
                }
            }
            Err(found) => {
                for p in found {
                    let column = if p.field == "group_id" {
                        "group".to_string()
                    } else {
                        p.field
                    };
                    if !unparsed.iter().any(|c| {
                        (c == "latitude" || c == "longitude")
                            && (column == "latitude" || column == "longitude")
                    }) {
                        row_problems.push(at(line, &column, p.message));
                    }
                }
            }
        }
        problems.extend(row_problems);
    }
    if problems.is_empty() {
        if drafts.is_empty() {
            return Err(vec![at(
                1,
                "",
                "The file names its columns but holds no device.",
            )]);
        }
        Ok(drafts)
    } else {
        problems.truncate(MAX_PROBLEMS);
        Err(problems)
    }
}

/// Imports the devices of a CSV file: all of them, or none.
pub async fn import_csv(ctx: &WorkspaceCtx, text: &str) -> Result<ImportReport, BackendError> {
    ctx.require(Action::ManageDevices)?;
    let groups: Vec<(String, String)> = sqlx::query_as("SELECT id, name FROM device_groups")
        .fetch_all(ctx.db().pool())
        .await?;
    let by_name = groups
        .into_iter()
        .map(|(id, name)| (name.trim().to_lowercase(), id))
        .collect();
    let existing = registered(ctx.db()).await?;
    let drafts = match check(text, &by_name, &existing) {
        Ok(d) => d,
        Err(problems) => {
            return Ok(ImportReport {
                imported: 0,
                problems,
            })
        }
    };
    let mut tx = ctx.db().pool().begin().await?;
    for (line, draft) in &drafts {
        let id = uuid::Uuid::new_v4().simple().to_string();
        if let Err(e) = insert(&mut *tx, &id, draft).await {
            // Someone registered the same id meanwhile: nothing is imported.
            if e.as_database_error()
                .is_some_and(|d| d.is_unique_violation())
            {
                let problem = at(
                    *line,
                    "external_id",
                    format!("{}: {EXTERNAL_ID_TAKEN}", draft.external_id),
                );
                return Ok(ImportReport {
                    imported: 0,
                    problems: vec![problem],
                });
            }
            return Err(e.into());
        }
    }
    tx.commit().await?;
    audit::record(
        ctx.db(),
        ctx.actor_id(),
        "devices_imported",
        &format!("{} devices from CSV", drafts.len()),
    )
    .await?;
    Ok(ImportReport {
        imported: drafts.len(),
        problems: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn groups() -> HashMap<String, String> {
        [("north farms".to_string(), "g1".to_string())].into()
    }

    #[test]
    fn a_good_file_gives_one_draft_per_row_with_metadata_from_extra_columns() {
        let text = "\u{feff}external_id,name,kind,group,latitude,longitude,tags,Serial\n\
                    wx-00001,Roof station,WEATHER_STATION,North Farms,45.7,4.8,roof;north,A-1\n\
                    \n\
                    kwh-00002,\"Meter, hall\",,,,,,\n";
        let drafts = check(text, &groups(), &HashSet::new()).unwrap();
        assert_eq!(drafts.len(), 2);
        let (line, first) = &drafts[0];
        assert_eq!(*line, 2);
        assert_eq!(first.group_id.as_deref(), Some("g1"));
        assert_eq!(first.tags, vec!["roof", "north"]);
        assert_eq!(
            first.metadata.get("serial").map(String::as_str),
            Some("A-1")
        );
        assert_eq!(drafts[1].1.name, "Meter, hall");
        assert_eq!(drafts[1].0, 4);
        assert_eq!(drafts[1].1.latitude, None);
    }

    #[test]
    fn every_bad_cell_is_named_by_line_and_column() {
        let text = "external_id,name,group,latitude,longitude\n\
                    wx-1,One,,45,4\n\
                    ,No id,,,\n\
                    wx-1,Twice,,,\n\
                    wx-3,Far,Nowhere,95,4\n\
                    wx-4,Bad,,north,4\n\
                    wx-5,Short\n\
                    wx-taken,Taken,,,\n";
        let taken: HashSet<String> = ["wx-taken".to_string()].into();
        let problems = check(text, &groups(), &taken).unwrap_err();
        let found: Vec<(u64, &str)> = problems
            .iter()
            .map(|p| (p.line, p.column.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (3, "external_id"),
                (4, "external_id"),
                (5, "group"),
                (5, "latitude"),
                (6, "latitude"),
                (7, ""),
                (8, "external_id")
            ]
        );
        assert!(
            problems[1].message.contains("on line 2"),
            "{}",
            problems[1].message
        );
        assert!(problems[6].message.contains(EXTERNAL_ID_TAKEN));
        assert!(problems[4].message.contains("\"north\" is not a number"));
    }

    #[test]
    fn a_header_without_the_required_columns_or_with_twice_the_same_is_refused() {
        let problems = check("id,label\nx,y\n", &groups(), &HashSet::new()).unwrap_err();
        assert_eq!(
            problems
                .iter()
                .map(|p| p.column.as_str())
                .collect::<Vec<_>>(),
            vec!["external_id", "name"]
        );
        let twice =
            check("external_id,name,name\nx,y,z\n", &groups(), &HashSet::new()).unwrap_err();
        assert_eq!(twice[0].column, "name");
        assert!(check("", &groups(), &HashSet::new()).is_err());
        assert!(
            check("external_id,name\n", &groups(), &HashSet::new()).unwrap_err()[0]
                .message
                .contains("no device")
        );
    }
}

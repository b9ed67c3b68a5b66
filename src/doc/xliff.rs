//! XLIFF 1.2 (`<trans-unit>`) and 2.0 (`<unit>`/`<segment>`) localization files, read with
//! `quick-xml`.
//!
//! The `<source>` of each unit (1.2) or segment (2.0) becomes a [`BlockKind::Record`] block
//! whose id is the unit id; its inline codes are kept: `<g>`, `<x/>`, `<bx/>`, `<ex/>`,
//! `<pc>`, `<sc/>`, `<ec/>`, `<mrk>` as [`InlineKind::Tag`]s, and codes whose content is not
//! text (`<ph>`, `<it>`, `<bpt>`, `<ept>` with content, `<mrk translate="no">` or
//! `mtype="protected"`) as [`InlineKind::Code`]. Only `<source>`/`<target>` children of the
//! unit (1.2) or segment (2.0) count: alternative translations (`<alt-trans>`), segmented
//! sources (`<seg-source>`) and `<ignorable>` are kept as they are.
//!
//! Human work is kept: a unit is translated only when it has no target or an empty one, or
//! its state says it needs one (1.2 target `state="new"` or `"needs-translation"`, 2.0 segment
//! `state="initial"`); an approved unit (1.2 `approved="yes"`) or a final one (`state="final"`,
//! 1.2 `"signed-off"`, 2.0 `"reviewed"`) keeps its target even when it is empty. With
//! [`ReadOptions::overwrite`] every unit is translated, replacing its target, and an approved
//! one loses its approval (`approved="no"`). `translate="no"` on a unit, its group or (2.0)
//! file is always honoured.
//!
//! On output the `<target>` is filled (replacing an existing one, or inserted after
//! `</source>`) and the state set to `translated` (1.2: on `<target>`; 2.0: on `<segment>`);
//! notes, ids and every other byte are kept. An inline code the translation lost is still
//! written, at the end of the target, so that no code is ever dropped. The target language
//! (`target-language`, `trgLang`) is set to the target unless it names that language already.
//! A unit without `id` is an error naming its line.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use serde_json::json;

use super::html::{self, Fragment, Mode};
use super::inline;
use super::markup::{self, LineIndex};
use super::{Block, BlockKind, Document, Format, ReadOptions, SegmentStatus};
use crate::error::{Error, Result};

/// On a record: what goes before an inserted `<target>`: a line break and the indentation of
/// its `<source>` when that stands on a line of its own, else nothing.
const INDENT: &str = "indent";
/// On a record: the index of the block holding its existing `<target>`.
const TARGET_AT: &str = "target_at";
/// On an existing target block: the opening tag of the target as written.
const TARGET_OPEN: &str = "target_open";
/// On an existing target block: `[start, end]`, the byte range of its content in the file.
const TARGET_INNER: &str = "target_inner";
/// On a `<segment>` tag block (2.0): the index of its record.
const STATE_OF: &str = "state_of";
/// On an approved `<trans-unit>` tag block (1.2): the indices of its records (an array).
const APPROVAL_OF: &str = "approval_of";
/// On a record: the XLIFF major version (1 or 2).
const VERSION: &str = "version";

/// An element being read, with what it passes on to its children.
struct Open {
    name: String,
    /// `translate` as it stands here (inherited unless set).
    translate: bool,
}

/// The XML of an XLIFF file as events with the bytes they span, for both readers, after
/// [`markup::check_xml`] (characters, references, nesting, one root) has passed.
struct XmlEvents<'a> {
    reader: Reader<&'a [u8]>,
    origin: &'a str,
    lines: &'a LineIndex,
    /// The open elements, outermost first.
    stack: Vec<Open>,
}

impl<'a> XmlEvents<'a> {
    fn new(origin: &'a str, text: &'a str, lines: &'a LineIndex) -> Result<Self> {
        markup::check_xml(origin, text, lines, "XLIFF")?;
        Ok(XmlEvents {
            reader: Reader::from_str(text),
            origin,
            lines,
            stack: Vec::new(),
        })
    }

    fn error(&self, at: usize, message: String) -> Error {
        Error::Parse {
            origin: self.origin.to_string(),
            line: self.lines.line(at),
            message,
        }
    }

    fn malformed(&self, e: quick_xml::Error) -> Error {
        self.error(
            self.reader.error_position() as usize,
            format!("malformed XLIFF: {e}"),
        )
    }

    /// The local name of the parent of the element just started.
    fn parent(&self) -> Option<&str> {
        let n = self.stack.len();
        n.checked_sub(2)
            .and_then(|i| self.stack.get(i))
            .map(|o| o.name.as_str())
    }

    /// Whether the element just started (or the innermost open one) is to be translated.
    fn translate(&self) -> bool {
        self.stack.last().is_none_or(|o| o.translate)
    }

    /// The next event and the bytes it spans; `None` at the end of the file.
    fn next(&mut self) -> Result<Option<(Event<'a>, std::ops::Range<usize>)>> {
        let start = self.reader.buffer_position() as usize;
        let event = self.reader.read_event().map_err(|e| self.malformed(e))?;
        let end = self.reader.buffer_position() as usize;
        match &event {
            Event::Eof => return Ok(None),
            Event::Start(e) => {
                let inherited = self.translate();
                let translate = match attr(e, "translate").as_deref() {
                    Some("no") => false,
                    Some("yes") => true,
                    _ => inherited,
                };
                self.stack.push(Open {
                    name: local(e.name().as_ref()),
                    translate,
                });
            }
            Event::End(_) => {
                self.stack.pop();
            }
            _ => {}
        }
        Ok(Some((event, start..end)))
    }

    /// Reads to the end of the element `name` just started: the bytes of its content and
    /// where its end tag ends.
    fn content(
        &mut self,
        name: quick_xml::name::QName<'_>,
    ) -> Result<(std::ops::Range<usize>, usize)> {
        let span = self
            .reader
            .read_to_end(name)
            .map_err(|e| self.malformed(e))?;
        self.stack.pop();
        let after = self.reader.buffer_position() as usize;
        Ok((span.start as usize..span.end as usize, after))
    }
}

/// The value of attribute `key` of a start tag, unescaped.
fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.as_ref() == key.as_bytes())
            .then(|| markup::unescape(&String::from_utf8_lossy(&a.value)))
    })
}

/// The unit or segment being read: what decides whether its source is translated.
#[derive(Default)]
struct Unit {
    /// The record block of its source.
    record: Option<usize>,
    /// Whether a target was seen, and whether it has text.
    target: Option<bool>,
    /// The block of its target, if read.
    target_block: Option<usize>,
    /// The state that decides (1.2: of the target; 2.0: of the segment).
    state: Option<String>,
    approved: bool,
    translate: bool,
}

impl Unit {
    /// Whether the unit's source is to be translated.
    fn wanted(&self, overwrite: bool) -> bool {
        if !self.translate {
            return false;
        }
        if overwrite {
            return true;
        }
        let final_state = matches!(
            self.state.as_deref(),
            Some("final" | "signed-off" | "reviewed")
        );
        if final_state || self.approved {
            return false;
        }
        let needs = matches!(
            self.state.as_deref(),
            Some("new" | "needs-translation" | "initial")
        );
        needs || self.target != Some(true)
    }
}

/// Reads an XLIFF 1.2 or 2.0 file with the default options.
pub fn read(origin: &str, text: &str) -> Result<Document> {
    read_with(origin, text, &ReadOptions::default())
}

/// Reads an XLIFF 1.2 or 2.0 file.
pub fn read_with(origin: &str, text: &str, opts: &ReadOptions) -> Result<Document> {
    let lines = LineIndex::new(text);
    let mut xml = XmlEvents::new(origin, text, &lines)?;
    let mut doc = Document::new(Format::Xliff, origin);
    let mut pending = String::new();
    let mut version = 1u64;
    let mut root_seen = false;
    // The unit id (with its tag's line), the unit (1.2) or segment (2.0) being read, the
    // block of a 2.0 segment tag and of an approved 1.2 unit tag.
    let mut unit_id: Option<String> = None;
    let mut unit = Unit::default();
    let mut segment_tag: Option<usize> = None;
    let mut approval_tag: Option<usize> = None;
    let flush = |doc: &mut Document, pending: &mut String| {
        if !pending.is_empty() {
            let mut b = Block::new(BlockKind::Markup, "", 0);
            b.raw = std::mem::take(pending);
            doc.blocks.push(b);
        }
    };
    // Ends a unit (1.2) or segment (2.0): a source nobody is to translate is kept as it is.
    // A translator's target kept as it is marks the file as holding work in the declared
    // target language.
    let mut declared: Option<(String, usize)> = None;
    let settle = |doc: &mut Document, unit: &mut Unit, declared: &Option<(String, usize)>| {
        let u = std::mem::take(unit);
        if let Some(r) = u.record {
            if !u.wanted(opts.overwrite) {
                let b = &mut doc.blocks[r];
                b.kind = BlockKind::Markup;
                b.raw = String::new();
                if u.target == Some(true) && doc.kept_target.is_none() {
                    doc.kept_target.clone_from(declared);
                }
            }
        }
    };
    while let Some((event, at)) = xml.next()? {
        let (start, raw) = (at.start, &text[at]);
        match event {
            Event::Start(e) => {
                let name = local(e.name().as_ref());
                if !root_seen {
                    root_seen = true;
                    if name != "xliff" {
                        return Err(
                            xml.error(start, format!("not an XLIFF file: the root is <{name}>"))
                        );
                    }
                }
                let parent = xml.parent().unwrap_or_default().to_string();
                match name.as_str() {
                    "xliff" => {
                        if attr(&e, "version").is_some_and(|v| v.starts_with('2')) {
                            version = 2;
                        }
                        if version == 2 {
                            declared = attr(&e, "trgLang").map(|l| (l, lines.line(start)));
                            flush(&mut doc, &mut pending);
                            doc.blocks.push(lang_block(raw, "trgLang"));
                            continue;
                        }
                    }
                    "file" if version == 1 => {
                        declared = attr(&e, "target-language").map(|l| (l, lines.line(start)));
                        flush(&mut doc, &mut pending);
                        doc.blocks.push(lang_block(raw, "target-language"));
                        continue;
                    }
                    "trans-unit" | "unit" => {
                        unit_id = Some(attr(&e, "id").ok_or_else(|| {
                            xml.error(
                                start,
                                format!("<{name}> without an id (XLIFF requires one)"),
                            )
                        })?);
                        unit = Unit {
                            translate: xml.translate(),
                            approved: version == 1
                                && attr(&e, "approved").as_deref() == Some("yes"),
                            ..Unit::default()
                        };
                        approval_tag = None;
                        if unit.approved {
                            flush(&mut doc, &mut pending);
                            let mut b = Block::new(BlockKind::Markup, "", 0);
                            b.raw = raw.to_string();
                            approval_tag = Some(doc.blocks.len());
                            doc.blocks.push(b);
                            continue;
                        }
                    }
                    "segment" if version == 2 && parent == "unit" => {
                        flush(&mut doc, &mut pending);
                        let mut b = Block::new(BlockKind::Markup, "", 0);
                        b.raw = raw.to_string();
                        segment_tag = Some(doc.blocks.len());
                        doc.blocks.push(b);
                        unit = Unit {
                            translate: xml.translate(),
                            state: attr(&e, "state"),
                            ..Unit::default()
                        };
                        continue;
                    }
                    "source" if is_pair_parent(version, &parent) && unit.record.is_none() => {
                        let (span, after) = xml.content(e.name())?;
                        let inner = &text[span.clone()];
                        // An inserted target goes on a line of its own when the source
                        // has one, else right after it.
                        let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
                        let lead = &text[line_start..start];
                        let indent = if lead.trim().is_empty() {
                            format!("\n{lead}")
                        } else {
                            String::new()
                        };
                        pending.push_str(&text[start..after]);
                        flush(&mut doc, &mut pending);
                        let mut block = source_block(origin, inner, span.start, &lines)?;
                        block.id = unit_id.clone().map(|u| Box::new(u.into()));
                        block.attrs.insert(INDENT.into(), indent.into());
                        block.attrs.insert(VERSION.into(), version.into());
                        if let Some(t) = unit.target_block {
                            block.attrs.insert(TARGET_AT.into(), t.into());
                        }
                        let at = doc.blocks.len();
                        unit.record = Some(at);
                        if let Some(tag) = segment_tag {
                            doc.blocks[tag].attrs.insert(STATE_OF.into(), at.into());
                        }
                        if let Some(tag) = approval_tag {
                            let mut of = doc.blocks[tag]
                                .attrs
                                .get(APPROVAL_OF)
                                .and_then(serde_json::Value::as_array)
                                .cloned()
                                .unwrap_or_default();
                            of.push(at.into());
                            doc.blocks[tag].attrs.insert(APPROVAL_OF.into(), of.into());
                        }
                        doc.blocks.push(block);
                        continue;
                    }
                    "target" if is_pair_parent(version, &parent) => {
                        if version == 1 {
                            unit.state = attr(&e, "state");
                        }
                        let (inner, after) = xml.content(e.name())?;
                        unit.target = Some(has_text(origin, text, inner.clone(), &lines)?);
                        flush(&mut doc, &mut pending);
                        let mut b = Block::new(BlockKind::Markup, "", 0);
                        b.raw = text[start..after].to_string();
                        b.attrs.insert(TARGET_OPEN.into(), raw.into());
                        b.attrs
                            .insert(TARGET_INNER.into(), json!([inner.start, inner.end]));
                        link_target(&mut doc, &mut unit);
                        doc.blocks.push(b);
                        continue;
                    }
                    _ => {}
                }
                pending.push_str(raw);
            }
            Event::End(e) => {
                let name = local(e.name().as_ref());
                pending.push_str(raw);
                match name.as_str() {
                    "trans-unit" | "unit" => {
                        settle(&mut doc, &mut unit, &declared);
                        unit_id = None;
                        segment_tag = None;
                        approval_tag = None;
                    }
                    "segment" if version == 2 => {
                        settle(&mut doc, &mut unit, &declared);
                        segment_tag = None;
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => {
                let name = local(e.name().as_ref());
                if !root_seen {
                    return Err(xml.error(start, "not an XLIFF file: the root is empty".into()));
                }
                let parent = xml.stack.last().map(|o| o.name.clone()).unwrap_or_default();
                if name == "target" && is_pair_parent(version, &parent) {
                    if version == 1 {
                        unit.state = attr(&e, "state");
                    }
                    unit.target = Some(false);
                    flush(&mut doc, &mut pending);
                    let mut b = Block::new(BlockKind::Markup, "", 0);
                    b.raw = raw.to_string();
                    let open = format!("{}>", raw.trim_end_matches("/>").trim_end());
                    b.attrs.insert(TARGET_OPEN.into(), open.into());
                    link_target(&mut doc, &mut unit);
                    doc.blocks.push(b);
                    continue;
                }
                if matches!(name.as_str(), "trans-unit" | "unit") && attr(&e, "id").is_none() {
                    return Err(xml.error(
                        start,
                        format!("<{name}> without an id (XLIFF requires one)"),
                    ));
                }
                pending.push_str(raw);
            }
            _ => pending.push_str(raw),
        }
    }
    flush(&mut doc, &mut pending);
    Ok(doc)
}

/// Whether a `<source>`/`<target>` whose parent is `parent` is the unit's (1.2) or
/// segment's (2.0) own.
fn is_pair_parent(version: u64, parent: &str) -> bool {
    if version == 2 {
        parent == "segment"
    } else {
        parent == "trans-unit"
    }
}

/// Points the unit's record, if read, at the target block about to be pushed (a record read
/// later is pointed at it when it is read).
fn link_target(doc: &mut Document, unit: &mut Unit) {
    let at = doc.blocks.len();
    unit.target_block = Some(at);
    if let Some(r) = unit.record {
        doc.blocks[r].attrs.insert(TARGET_AT.into(), at.into());
    }
}

/// Whether the content `range` of a target has text (not only whitespace and codes).
fn has_text(
    origin: &str,
    text: &str,
    range: std::ops::Range<usize>,
    lines: &LineIndex,
) -> Result<bool> {
    let inner = &text[range.clone()];
    if inner.trim().is_empty() {
        return Ok(false);
    }
    let b = content_block(origin, inner, range.start, lines)?;
    Ok(!b.text.trim().is_empty())
}

fn lang_block(raw: &str, key: &str) -> Block {
    let mut b = Block::new(BlockKind::Markup, "", 0);
    b.raw = raw.to_string();
    b.suffix = raw.to_string();
    b.attrs.insert(html::LANG_ATTRS.into(), key.into());
    b
}

/// The record block of a `<source>`: its text with inline codes as tags.
fn source_block(origin: &str, inner: &str, at: usize, lines: &LineIndex) -> Result<Block> {
    let mut block = content_block(origin, inner, at, lines)?;
    block.raw = inner.to_string();
    Ok(block)
}

/// The text, inline tags, prefix and line of an element's content (no `raw`).
fn content_block(origin: &str, inner: &str, at: usize, lines: &LineIndex) -> Result<Block> {
    let (blocks, _) = Fragment::new(inner, at, lines, Mode::AllInline).read(origin)?;
    let mut block = Block::new(BlockKind::Record, "", lines.line(at));
    if let Some(first) = blocks.into_iter().next() {
        // In all-inline mode everything is one run; markup before the text stays in front.
        block.prefix = first.prefix;
        block.text = first.text;
        block.inlines = first.inlines;
    }
    Ok(block)
}

/// Reads an XLIFF file as unit pairs for checking: block `i` of the target (a non-empty
/// `<target>`) translates block `i` of the source (its `<source>`) of the same unit (1.2) or
/// segment (2.0). Units without a target or with an empty one are skipped; of several targets
/// the last counts.
/// Target blocks sit at the line where the target's content starts, with the markup before it
/// on that line as prefix, so byte columns count from the start of the line. What [`read`]
/// refuses, this refuses too, at the same line.
///
/// One pass over the XML that keeps only the sources and targets (what [`read`] keeps for
/// writing the file back is not made).
pub fn read_pairs(origin: &str, text: &str) -> Result<(Document, Document)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = LineIndex::new(text);
    let mut xml = XmlEvents::new(origin, text, &lines)?;
    let mut source = Document::new(Format::Xliff, origin);
    let mut target = Document::new(Format::Xliff, origin);
    let mut version = 1u64;
    let mut root_seen = false;
    let mut unit: Option<String> = None;
    // The source of the current unit or segment, and the content span of its last target.
    let mut record: Option<Block> = None;
    let mut last_target: Option<std::ops::Range<usize>> = None;
    // Pairs the current record with its last target, if it has a non-empty one.
    let mut close = |record: &mut Option<Block>,
                     last_target: &mut Option<std::ops::Range<usize>>|
     -> Result<()> {
        let (Some(sb), Some(range)) = (record.take(), last_target.take()) else {
            return Ok(());
        };
        let inner = &text[range.clone()];
        let mut tb = content_block(origin, inner, range.start, &lines)?;
        if !tb.text.chars().any(char::is_alphanumeric) {
            return Ok(());
        }
        let line_start = text[..range.start].rfind('\n').map_or(0, |p| p + 1);
        tb.prefix.insert_str(0, &text[line_start..range.start]);
        tb.id = sb.id.clone();
        source.blocks.push(sb);
        target.blocks.push(tb);
        Ok(())
    };
    while let Some((event, at)) = xml.next()? {
        let start = at.start;
        match event {
            Event::Start(e) => {
                let name = local(e.name().as_ref());
                if !root_seen {
                    root_seen = true;
                    if name != "xliff" {
                        return Err(
                            xml.error(start, format!("not an XLIFF file: the root is <{name}>"))
                        );
                    }
                }
                let parent = xml.parent().unwrap_or_default().to_string();
                match name.as_str() {
                    "xliff" if attr(&e, "version").is_some_and(|v| v.starts_with('2')) => {
                        version = 2;
                    }
                    "trans-unit" | "unit" => {
                        close(&mut record, &mut last_target)?;
                        unit = Some(attr(&e, "id").ok_or_else(|| {
                            xml.error(
                                start,
                                format!("<{name}> without an id (XLIFF requires one)"),
                            )
                        })?);
                    }
                    "segment" if version == 2 && parent == "unit" => {
                        close(&mut record, &mut last_target)?
                    }
                    "source" if is_pair_parent(version, &parent) => {
                        let (span, _) = xml.content(e.name())?;
                        if record.is_some() {
                            close(&mut record, &mut last_target)?;
                        }
                        let mut sb =
                            content_block(origin, &text[span.clone()], span.start, &lines)?;
                        // As in the full reader's pairs: the source keeps no prefix.
                        sb.prefix = String::new();
                        sb.id = unit.clone().map(|u| Box::new(u.into()));
                        record = Some(sb);
                    }
                    "target" if is_pair_parent(version, &parent) => {
                        last_target = Some(xml.content(e.name())?.0);
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if matches!(local(e.name().as_ref()).as_str(), "trans-unit" | "unit") {
                    close(&mut record, &mut last_target)?;
                    unit = None;
                }
            }
            Event::Empty(e) => {
                let name = local(e.name().as_ref());
                if !root_seen {
                    return Err(xml.error(start, "not an XLIFF file: the root is empty".into()));
                }
                let parent = xml.stack.last().map(|o| o.name.clone()).unwrap_or_default();
                // An empty `<target/>` replaces an earlier target: nothing to check.
                if name == "target" && is_pair_parent(version, &parent) {
                    last_target = None;
                }
                if matches!(name.as_str(), "trans-unit" | "unit") && attr(&e, "id").is_none() {
                    return Err(xml.error(
                        start,
                        format!("<{name}> without an id (XLIFF requires one)"),
                    ));
                }
            }
            _ => {}
        }
    }
    close(&mut record, &mut last_target)?;
    Ok((source, target))
}

/// Whether a record gets a target: every segment translated or passed through.
fn filled(b: &Block) -> bool {
    b.kind == BlockKind::Record
        && !b.segments.is_empty()
        && b.segments.iter().all(|s| {
            matches!(
                s.status,
                SegmentStatus::Translated | SegmentStatus::PassedThrough
            )
        })
}

/// The content of the target of record `b`: its translation with its inline codes (placed by
/// `inline::render_block`, which never drops one).
fn target_content(b: &Block) -> String {
    format!(
        "{}{}",
        b.prefix,
        inline::render_block(b, &markup::escape_text)
    )
}

/// Writes the file back with targets filled and states set.
pub fn write(doc: &Document) -> String {
    let target = doc
        .target
        .filter(|_| doc.blocks.iter().any(filled))
        .map(|l| l.code());
    // Which target blocks belong to which record.
    let mut owner: std::collections::HashMap<usize, usize> = Default::default();
    for (i, b) in doc.blocks.iter().enumerate() {
        if let Some(t) = b.attrs.get(TARGET_AT).and_then(serde_json::Value::as_u64) {
            owner.insert(t as usize, i);
        }
    }
    let record = |r: &serde_json::Value| {
        r.as_u64()
            .and_then(|r| doc.blocks.get(usize::try_from(r).ok()?))
            .filter(|r| filled(r))
    };
    let mut out = String::new();
    for (i, b) in doc.blocks.iter().enumerate() {
        if b.attrs.contains_key(html::LANG_ATTRS) {
            out.push_str(&html::write_blocks(std::slice::from_ref(b), target));
            continue;
        }
        if let Some(r) = b.attrs.get(STATE_OF) {
            match record(r) {
                Some(_) => out.push_str(&markup::set_attr(&b.raw, "state", "translated")),
                None => out.push_str(&b.raw),
            }
            continue;
        }
        if let Some(serde_json::Value::Array(of)) = b.attrs.get(APPROVAL_OF) {
            // An approved unit translated anew (`--overwrite`) is no longer approved.
            match of.iter().find_map(record) {
                Some(_) => out.push_str(&markup::set_attr(&b.raw, "approved", "no")),
                None => out.push_str(&b.raw),
            }
            continue;
        }
        if let Some(open) = b.attrs.get(TARGET_OPEN).and_then(serde_json::Value::as_str) {
            match owner.get(&i).map(|&r| &doc.blocks[r]).filter(|r| filled(r)) {
                Some(rec) => {
                    let open = if version(rec) == 1 {
                        markup::set_attr(open, "state", "translated")
                    } else {
                        open.to_string()
                    };
                    out.push_str(&open);
                    out.push_str(&target_content(rec));
                    out.push_str("</target>");
                }
                None => out.push_str(&b.raw),
            }
            continue;
        }
        if b.kind == BlockKind::Record {
            if filled(b) && !b.attrs.contains_key(TARGET_AT) {
                let indent = b.attrs.get(INDENT).and_then(serde_json::Value::as_str);
                out.push_str(indent.unwrap_or("\n"));
                out.push_str(if version(b) == 1 {
                    "<target state=\"translated\">"
                } else {
                    "<target>"
                });
                out.push_str(&target_content(b));
                out.push_str("</target>");
            }
            continue;
        }
        out.push_str(&b.raw);
    }
    out
}

fn version(b: &Block) -> u64 {
    b.attrs
        .get(VERSION)
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(1)
}

/// An element name without its namespace prefix.
fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    name.rsplit(':').next().unwrap_or(&name).to_string()
}

/// The target language an XLIFF file declares (`trgLang` of 2.0, `target-language` of
/// 1.2's first `<file>`), read from the beginning of the file (`head`).
pub fn declared_language(head: &str) -> Option<String> {
    ["trgLang", "target-language"].iter().find_map(|name| {
        let mut rest = head;
        while let Some(at) = rest.find(name) {
            let after = rest[at + name.len()..].trim_start();
            rest = &rest[at + name.len()..];
            let Some(value) = after.strip_prefix('=').map(str::trim_start) else {
                continue;
            };
            let Some(quote) = value.chars().next().filter(|q| matches!(q, '"' | '\'')) else {
                continue;
            };
            let inner = &value[1..];
            let end = inner.find(quote)?;
            let lang = inner[..end].trim();
            return (!lang.is_empty()).then(|| lang.to_string());
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The pairs as the full reader sees them (the reference for [`read_pairs`]): block `i` of the target (a non-empty
    /// `<target>`) translates block `i` of the source (its `<source>`). Units without a target or
    /// with an empty one are skipped. Target blocks sit at the line where the target's content
    /// starts, with the markup before it on that line as prefix, so byte columns count from the
    /// start of the line.
    fn read_pairs_via_document(origin: &str, text: &str) -> Result<(Document, Document)> {
        let doc = read_with(
            origin,
            text,
            &ReadOptions {
                overwrite: true,
                ..ReadOptions::default()
            },
        )?;
        let lines = LineIndex::new(text);
        let mut source = Document::new(Format::Xliff, origin);
        let mut target = Document::new(Format::Xliff, origin);
        for b in doc.blocks.iter().filter(|b| b.kind == BlockKind::Record) {
            let Some(tblock) = b
                .attrs
                .get(TARGET_AT)
                .and_then(Value::as_u64)
                .and_then(|i| doc.blocks.get(usize::try_from(i).ok()?))
            else {
                continue;
            };
            let range = tblock
                .attrs
                .get(TARGET_INNER)
                .and_then(Value::as_array)
                .and_then(|a| {
                    let start = usize::try_from(a.first()?.as_u64()?).ok()?;
                    let end = usize::try_from(a.get(1)?.as_u64()?).ok()?;
                    Some(start..end)
                });
            let Some(inner) = range.clone().and_then(|r| text.get(r)) else {
                continue;
            };
            let start = range.map_or(0, |r| r.start);
            let mut tb = source_block(origin, inner, start, &lines)?;
            if !tb.text.chars().any(char::is_alphanumeric) {
                continue;
            }
            let line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
            tb.prefix = format!("{}{}", &text[line_start..start], tb.prefix);
            tb.id = b.id.clone();
            let mut sb = Block::new(BlockKind::Record, b.text.clone(), b.line);
            sb.id = b.id.clone();
            sb.inlines = b.inlines.clone();
            source.blocks.push(sb);
            target.blocks.push(tb);
        }
        Ok((source, target))
    }
    use crate::doc::Segment;

    #[test]
    fn pairs_are_those_of_the_full_reader() {
        let files = [
            // 1.2: targets with inline codes, an empty target, a self-closed one, a unit
            // without target, two targets (the last counts), a target before any source.
            "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\">\n <file source-language=\"de\" target-language=\"en\">\n  <body>\n   <trans-unit id=\"a\">\n    <source>Der <g id=\"1\">Kanzler</g> kam.</source>\n    <target state=\"translated\">The <g id=\"1\">chancellor</g> came.</target>\n   </trans-unit>\n   <trans-unit id=\"b\"><source>Leer.</source><target></target></trans-unit>\n   <trans-unit id=\"c\"><source>Zu.</source><target/></trans-unit>\n   <trans-unit id=\"d\"><source>Ohne Ziel.</source></trans-unit>\n   <trans-unit id=\"e\"><source>Zwei.</source><target>One.</target><target>Two.</target></trans-unit>\n   <trans-unit id=\"f\"><target>Early.</target><source>Spät.</source></trans-unit>\n   <trans-unit id=\"g\"><source>Nur – .</source><target> – </target></trans-unit>\n   <trans-unit id=\"h\"><source>Zeilen\nzwei</source><target>Lines\n  two <x id=\"2\"/> here</target></trans-unit>\n  </body>\n </file>\n</xliff>\n",
            // 2.0: segments, a target before its source inside a segment, ignorable notes.
            "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"de\" trgLang=\"en\">\n<file id=\"f\">\n<unit id=\"u1\">\n<notes><note>n</note></notes>\n<segment><source>Erster Satz.</source><target>First sentence.</target></segment>\n<segment><target>Zweiter?</target><source>Zweiter Satz.</source></segment>\n<segment state=\"final\"><source>Dritter <pc id=\"1\">Satz</pc>.</source><target>Third <pc id=\"1\">sentence</pc>.</target></segment>\n</unit>\n<unit id=\"u2\"><segment><source>Nichts.</source></segment></unit>\n</file>\n</xliff>\n",
        ];
        for text in files {
            let (s, t) = read_pairs("x.xlf", text).expect("reads");
            let (rs, rt) = read_pairs_via_document("x.xlf", text).expect("reads");
            assert!(!s.blocks.is_empty());
            assert_eq!(s.blocks.len(), rs.blocks.len(), "{text}");
            assert_eq!(t.blocks.len(), rt.blocks.len(), "{text}");
            for (a, b) in s
                .blocks
                .iter()
                .zip(&rs.blocks)
                .chain(t.blocks.iter().zip(&rt.blocks))
            {
                assert_eq!(
                    (&a.text, a.line, &a.prefix, &a.id, &a.kind),
                    (&b.text, b.line, &b.prefix, &b.id, &b.kind)
                );
                assert_eq!(format!("{:?}", a.inlines), format!("{:?}", b.inlines));
            }
        }
        for bad in [
            "<xliff version=\"1.2\"><file><body><trans-unit id=\"a\"><source>x",
            "<html><p>no</p></html>",
        ] {
            assert!(read_pairs("x.xlf", bad).is_err(), "{bad}");
            assert!(read_pairs_via_document("x.xlf", bad).is_err(), "{bad}");
        }
    }

    const X12: &str = "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n  <file source-language=\"ar\" datatype=\"plaintext\" original=\"n\">\n    <body>\n      <trans-unit id=\"t1\">\n        <source>قال <g id=\"1\">آتزمون</g></source>\n        <note>اسم</note>\n      </trans-unit>\n    </body>\n  </file>\n</xliff>\n";

    #[test]
    fn xliff12_target_inserted_and_untouched_round_trip() {
        let mut doc = read("a.xlf", X12).unwrap();
        assert_eq!(write(&doc), X12);
        doc.target = Some(crate::Lang::from_code("en").unwrap());
        let b = doc
            .blocks
            .iter_mut()
            .find(|b| b.kind == BlockKind::Record)
            .unwrap();
        assert_eq!(b.text, "قال آتزمون");
        assert_eq!(b.id.as_deref(), Some(&"t1".into()));
        let mut seg = Segment::new(0, &b.text, 0..b.text.len());
        seg.translation = Some("said آتزمون".into());
        seg.status = SegmentStatus::Translated;
        b.segments = vec![seg];
        let out = write(&doc);
        assert!(out.contains("</source>\n        <target state=\"translated\">said <g id=\"1\">آتزمون</g></target>\n        <note>"), "{out}");
        assert!(out.contains("target-language=\"en\""), "{out}");
    }
}

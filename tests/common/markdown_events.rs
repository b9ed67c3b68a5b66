//! Markdown events as the Markdown tests compare them before and after a translation.

use pulldown_cmark::{CowStr, Event, LinkType, Tag};

/// `e` with what a translation may rightly change in a link or image taken out: the title is
/// blanked (it is translated), and a shortcut or collapsed reference is taken for a full one
/// (`[text][label]`, which the writer uses once the text is translated: the same link).
pub fn without_link_text(e: Event<'_>) -> Event<'_> {
    match e {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            id,
            ..
        }) => Event::Start(Tag::Link {
            link_type: full_reference(link_type),
            dest_url,
            title: CowStr::Borrowed(""),
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            id,
            ..
        }) => Event::Start(Tag::Image {
            link_type: full_reference(link_type),
            dest_url,
            title: CowStr::Borrowed(""),
            id,
        }),
        other => other,
    }
}

fn full_reference(t: LinkType) -> LinkType {
    match t {
        LinkType::Shortcut | LinkType::Collapsed => LinkType::Reference,
        other => other,
    }
}

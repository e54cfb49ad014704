//! Host names from URLs, for naming an article's source when the input
//! does not.
//!
//! This is a small tolerant parser, not a URL library: it does not decode
//! percent-escapes or punycode. A host is folded to its registered domain
//! by the Public Suffix List (the `psl` crate): `news.bbc.co.uk` is
//! `bbc.co.uk`.

/// Prefixes that name a mobile or mirror copy of the same site.
const SITE_PREFIXES: [&str; 4] = ["www.", "m.", "amp.", "mobile."];

/// Portals whose subdomains are separate newsrooms of one company, each
/// rated on its own (`abcnews.go.com` is not ESPN): a host under one keeps
/// its own label, as a site on a [`SHARED_HOSTS`] host does.
const PORTALS: &[&str] = &["go.com", "yahoo.com", "msn.com", "aol.com"];

/// The registered domain of `url`'s host: lowercase, without scheme,
/// credentials, port or path, and without subdomains (`www.`, `m.`,
/// `amp.`, `edition.`...): `https://edition.cnn.com/x` is `cnn.com`. A site
/// on a shared host or portal keeps its own label (`jane.substack.com`,
/// `abcnews.go.com`); an IP address, or a name the suffix list cannot
/// split, is kept whole. `None` for junk.
pub fn domain_of(url: &str) -> Option<String> {
    host_of(url).map(registered)
}

/// True for a domain whose subdomains are unrelated publishers' sites: one
/// of [`SHARED_HOSTS`], or Blogger on any country domain (`blogspot.it`).
pub fn is_shared_host(domain: &str) -> bool {
    SHARED_HOSTS.contains(&domain)
        || domain
            .strip_prefix("blogspot.")
            .is_some_and(|rest| !rest.is_empty())
}

/// `url`'s host, lowercase, without scheme, credentials, port or path and
/// without a leading `www.`, `m.`, `amp.` or `mobile.`, but with its other
/// subdomains: what a ratings file's row names (`news.sky.com`). `None` for
/// junk.
pub fn host_of(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() || url.chars().any(char::is_whitespace) {
        return None;
    }
    let (rest, has_scheme) = match url.find("://") {
        Some(i) => {
            let scheme = &url[..i];
            let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if !valid {
                return None;
            }
            (&url[i + 3..], true)
        }
        None => (url.strip_prefix("//").unwrap_or(url), false),
    };
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host_port = match authority.rsplit_once('@') {
        // Without a scheme, `user@host` is an e-mail address, not a site.
        Some(_) if !has_scheme => return None,
        Some((_, host_port)) => host_port,
        None => authority,
    };
    if let Some(bracketed) = host_port.strip_prefix('[') {
        return ipv6_host(bracketed);
    }
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        Some(_) => return None,
        None => host_port,
    };
    let mut host = host.strip_suffix('.').unwrap_or(host).to_lowercase();
    if !is_host_name(&host) {
        return None;
    }
    'strip: loop {
        for prefix in SITE_PREFIXES {
            // Keep `www.com` whole: stripping must leave a dotted name.
            if let Some(rest) = host.strip_prefix(prefix)
                && rest.contains('.')
            {
                host = rest.to_owned();
                continue 'strip;
            }
        }
        break;
    }
    Some(host)
}

/// `host`'s registered domain, or its site on a shared host or portal.
fn registered(host: String) -> String {
    let named = host
        .rsplit('.')
        .next()
        .is_some_and(|tld| tld.chars().any(|c| c.is_alphabetic()));
    if !named {
        return host;
    }
    let Some(domain) = psl::domain_str(&host) else {
        return host;
    };
    if is_shared_host(domain) || PORTALS.contains(&domain) {
        // The label before the shared domain names the site.
        let site = host[..host.len() - domain.len()]
            .strip_suffix('.')
            .and_then(|above| above.rsplit('.').next());
        return match site {
            Some(label) => format!("{label}.{domain}"),
            None => domain.to_string(),
        };
    }
    domain.to_string()
}

/// Domains whose subdomains are sites of unrelated publishers (blogs,
/// newsletters, hosted pages), after the private section of the Public
/// Suffix List (publicsuffix.org): a rating of the host is not a rating of
/// the sites on it.
const SHARED_HOSTS: &[&str] = &[
    "blogspot.com",
    "blogger.com",
    "wordpress.com",
    "tumblr.com",
    "substack.com",
    "medium.com",
    "livejournal.com",
    "typepad.com",
    "weebly.com",
    "wixsite.com",
    "squarespace.com",
    "github.io",
    "netlify.app",
    "herokuapp.com",
    "web.app",
    "firebaseapp.com",
];

/// `[::1]:8080` after the `[`: the address, if it looks like one.
fn ipv6_host(bracketed: &str) -> Option<String> {
    let (address, after) = bracketed.split_once(']')?;
    let port_ok = after.is_empty()
        || after
            .strip_prefix(':')
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()));
    let address_ok = address.contains(':')
        && address
            .chars()
            .all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.'));
    (port_ok && address_ok).then(|| address.to_ascii_lowercase())
}

/// A dotted name of letters, digits, `-` and `_`, or a dotted-quad address.
fn is_host_name(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let labels_ok = labels.iter().all(|label| {
        !label.is_empty()
            && label.chars().count() <= 63
            && label
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
    });
    if !labels_ok {
        return false;
    }
    let all_numeric = labels
        .iter()
        .all(|label| label.chars().all(|c| c.is_ascii_digit()));
    if all_numeric {
        return labels.len() == 4 && labels.iter().all(|l| l.parse::<u8>().is_ok());
    }
    // A top-level label is never all digits (`1.5`, `v2.0.1` are not hosts).
    labels
        .last()
        .is_some_and(|tld| tld.chars().any(|c| !c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::domain_of;

    fn d(url: &str) -> Option<String> {
        domain_of(url)
    }

    #[test]
    fn strips_scheme_path_port_credentials_and_prefixes() {
        assert_eq!(d("https://www.example.com/x"), Some("example.com".into()));
        assert_eq!(
            d("http://EXAMPLE.com:8080/a?b#c"),
            Some("example.com".into())
        );
        assert_eq!(
            d("https://user:pw@news.example.org/"),
            Some("example.org".into())
        );
        assert_eq!(d("https://m.example.com"), Some("example.com".into()));
        assert_eq!(
            d("https://amp.example.co.uk/x"),
            Some("example.co.uk".into())
        );
        assert_eq!(
            d("https://mobile.example.com/x"),
            Some("example.com".into())
        );
        assert_eq!(d("https://www.m.example.com/"), Some("example.com".into()));
        assert_eq!(d("https://example.com./x"), Some("example.com".into()));
        assert_eq!(d("  https://example.com?q=1 "), Some("example.com".into()));
        assert_eq!(d("//cdn.example.com/x"), Some("example.com".into()));
        assert_eq!(d("www.example.com/path"), Some("example.com".into()));
        assert_eq!(d("https://www.com/"), Some("www.com".into()));
        assert_eq!(d("https://amp.dev/"), Some("amp.dev".into()));
        assert_eq!(d("https://Bücher.de/x"), Some("bücher.de".into()));
        assert_eq!(d("http://127.0.0.1:80/x"), Some("127.0.0.1".into()));
        assert_eq!(d("http://[::1]:8080/x"), Some("::1".into()));
    }

    #[test]
    fn hosts_fold_to_their_registered_domain() {
        for (url, domain) in [
            ("https://edition.cnn.com/2026/x", "cnn.com"),
            ("https://money.cnn.com/x", "cnn.com"),
            ("http://news.bbc.co.uk/1/hi/x.stm", "bbc.co.uk"),
            ("https://www.smh.com.au/x", "smh.com.au"),
            ("https://amp.theguardian.com/x", "theguardian.com"),
            ("https://a.b.harborwire.example/x", "harborwire.example"),
            // A fake site's look-alike of a real one is its own domain.
            ("http://abcnews.com.co/x", "abcnews.com.co"),
            // Sites on a shared host are separate publishers...
            ("https://jane.substack.com/p/x", "jane.substack.com"),
            ("https://m.jane.substack.com/p/x", "jane.substack.com"),
            ("https://www.example.blogspot.com/x", "example.blogspot.com"),
            ("https://a.b.github.io/x", "b.github.io"),
            ("https://jane.blogspot.it/x", "jane.blogspot.it"),
            ("https://jane.blogspot.co.uk/x", "jane.blogspot.co.uk"),
            // ... and a portal's newsrooms are separate outlets.
            ("https://abcnews.go.com/Politics/x", "abcnews.go.com"),
            ("https://go.com/", "go.com"),
            ("https://uk.news.yahoo.com/x", "news.yahoo.com"),
            ("https://www.msn.com/en-us/news", "msn.com"),
            ("https://substack.com/", "substack.com"),
            // Addresses and names the suffix list cannot split stay whole.
            ("http://10.0.0.7/x", "10.0.0.7"),
            ("https://co.uk/", "co.uk"),
        ] {
            assert_eq!(d(url).as_deref(), Some(domain), "{url}");
        }
    }

    #[test]
    fn rejects_junk() {
        for junk in [
            "",
            "   ",
            "n/a",
            "hello",
            "https://",
            "https:///path",
            "https://exa mple.com",
            "javascript:alert(1)",
            "mailto:bob@example.com",
            "bob@example.com",
            "https://example.com:port/",
            "https://exa..mple.com",
            "https://-/",
            "1.5",
            "3.14159",
            "http://999.1.1.1/",
            "://example.com",
            "1http://example.com",
            "https://[zz]/",
        ] {
            assert_eq!(d(junk), None, "{junk:?}");
        }
    }
}

//! Where requests go: a region's endpoint from the product's table, or an explicit URL.
//!
//! The table comes from the product spec (`product.json`'s `endpoints`): some regions use
//! the central `mongodb.aliyuncs.com`, others `mongodb.<region>.aliyuncs.com`. Hosts are
//! never derived from a pattern: there is no `dds.<region>` host, and not every region has a
//! regional one, so a region missing from the table is an error, not a guess.

use std::fmt;
use std::str::FromStr;

/// A region-to-host table, as generated from the product spec: `(region id, host)` pairs.
pub type EndpointTable = &'static [(&'static str, &'static str)];

/// The URL scheme of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `https`, the default and what Alibaba Cloud serves.
    Https,
    /// `http`, for local endpoints such as the emulator.
    Http,
}

impl Scheme {
    /// `https` or `http`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Https => "https",
            Scheme::Http => "http",
        }
    }

    /// 443 or 80.
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Https => 443,
            Scheme::Http => 80,
        }
    }
}

/// A resolved endpoint: scheme, host and port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    scheme: Scheme,
    host: String,
    port: Option<u16>,
    /// `scheme://authority/`, written once: every attempt's URL and signed host come from it.
    url: String,
}

impl Endpoint {
    /// Parses an explicit endpoint: `https://host`, `http://127.0.0.1:PORT`, or a bare
    /// `host[:port]`, which means https. A trailing `/` is allowed; any other path, a query,
    /// a fragment or user information is not. The host is kept in lower case, as HTTP
    /// clients send it.
    pub fn parse(text: &str) -> Result<Self, EndpointError> {
        let invalid = |reason: &'static str| EndpointError::Invalid {
            endpoint: text.to_owned(),
            reason,
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(invalid("it is empty"));
        }
        // User information may hold a password: refuse it without repeating the text.
        if trimmed.contains('@') {
            return Err(EndpointError::UserInfo);
        }

        let (scheme, rest) = match trimmed.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => (Scheme::Https, rest),
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => (Scheme::Http, rest),
            Some(_) => return Err(invalid("the scheme must be https or http")),
            None => (Scheme::Https, trimmed),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '?', '#']) {
            return Err(invalid(
                "an endpoint is a host and port only, without a path",
            ));
        }

        let (host, port) = split_host_port(authority).map_err(invalid)?;
        let port = match port {
            None => None,
            Some(text) => match text.parse::<u16>() {
                Ok(0) | Err(_) => return Err(invalid("the port must be a number from 1 to 65535")),
                Ok(port) if port == scheme.default_port() => None,
                Ok(port) => Some(port),
            },
        };
        // The HTTP client writes the host in the URL standard's form (`127.1` and
        // `0x7f.0.0.1` become `127.0.0.1`, IPv6 addresses are compressed), and V3 signs the
        // host: keep that same form so the signed host is the one sent.
        let host = reqwest::Url::parse(&format!("{}://{host}/", scheme.as_str()))
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            .ok_or_else(|| invalid("the host is not a valid name or address"))?;
        Ok(Endpoint::new(scheme, host.to_ascii_lowercase(), port))
    }

    fn new(scheme: Scheme, host: String, port: Option<u16>) -> Self {
        let url = match port {
            Some(port) => format!("{}://{host}:{port}/", scheme.as_str()),
            None => format!("{}://{host}/", scheme.as_str()),
        };
        Endpoint {
            scheme,
            host,
            port,
            url,
        }
    }

    /// The endpoint of `region` in `table`, over https.
    pub fn for_region(table: EndpointTable, region: &str) -> Result<Self, EndpointError> {
        table
            .iter()
            .find(|(id, _)| *id == region)
            .map(|(_, host)| Endpoint::new(Scheme::Https, host.to_ascii_lowercase(), None))
            .ok_or_else(|| EndpointError::UnknownRegion {
                region: region.to_owned(),
                known: table.iter().map(|(id, _)| *id).collect(),
            })
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host name or address, without the port (IPv6 addresses in brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, when it is not the scheme's default.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// `host` or `host:port` when the port is not the default: the `Host` header's value and
    /// what signature V3 signs.
    pub fn authority(&self) -> &str {
        // `url` is `scheme://authority/`, as `new`, the only constructor, writes it.
        debug_assert!(self.url.ends_with('/') && self.url.contains("://"));
        let start = self.scheme.as_str().len() + "://".len();
        self.url
            .get(start..self.url.len().saturating_sub(1))
            .unwrap_or_default()
    }

    /// The URL requests are sent to, `scheme://authority/`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.url.strip_suffix('/').unwrap_or(&self.url))
    }
}

impl FromStr for Endpoint {
    type Err = EndpointError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Endpoint::parse(text)
    }
}

/// Picks the endpoint of a call: the explicit one when given, else the region's from
/// `table`.
pub fn resolve(
    table: EndpointTable,
    region: Option<&str>,
    explicit: Option<&str>,
) -> Result<Endpoint, EndpointError> {
    match (explicit, region) {
        (Some(explicit), _) => Endpoint::parse(explicit),
        (None, Some(region)) => Endpoint::for_region(table, region),
        (None, None) => Err(EndpointError::NothingGiven),
    }
}

/// Why no endpoint could be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// The region is not in the product's endpoint table.
    #[error(
        "unknown region `{region}`: Dds has endpoints for {}; give one of them, or an explicit endpoint",
        known.join(", ")
    )]
    UnknownRegion {
        /// The region that was asked for.
        region: String,
        /// The regions the table has.
        known: Vec<&'static str>,
    },
    /// The explicit endpoint is not a usable URL or host.
    #[error("invalid endpoint `{endpoint}`: {reason}")]
    Invalid {
        /// The text that was given.
        endpoint: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The explicit endpoint has user information (`user:password@`), which is refused.
    #[error("invalid endpoint: it must not contain user information (`user@`)")]
    UserInfo,
    /// Neither a region nor an endpoint was given.
    #[error("no region and no endpoint given: set a region (such as cn-hangzhou) or an endpoint")]
    NothingGiven,
}

fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), &'static str> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (address, after) = rest
            .split_once(']')
            .ok_or("an IPv6 address must end with `]`")?;
        if address.is_empty()
            || !address
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err("the IPv6 address is not valid");
        }
        let host = &authority[..address.len() + 2];
        match after {
            "" => (host, None),
            _ => (
                host,
                Some(
                    after
                        .strip_prefix(':')
                        .ok_or("expected `:port` after `]`")?,
                ),
            ),
        }
    } else {
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let valid = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_');
        if !valid {
            return Err("the host must be a name or an address (letters, digits, `-`, `.`)");
        }
        (host, port)
    };
    Ok((host, port))
}

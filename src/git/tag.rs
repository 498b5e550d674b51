//! Annotated release tags, signed as `git tag -s` signs them with
//! `gpg.format=ssh`: the armored signature ends the message and covers the
//! tag object's bytes before it. A tag is never moved.

use super::{read_err, Error, Repo};
use gix::ObjectId;

impl Repo {
    /// Returns the existing reference that keeps `refs/tags/{name}` from
    /// being made: the tag itself, a tag one of whose folders it would be
    /// (`v1` for `v1/x`), a tag below it (`v1/x` for `v1`), or a branch of
    /// the same name, which would make the name ambiguous.
    pub fn tag_conflict(&self, name: &str) -> Result<Option<String>, Error> {
        let find = |full: &str| {
            self.repo
                .try_find_reference(full)
                .map(|r| r.is_some())
                .map_err(read_err(format!("reference `{full}`")))
        };
        let mut prefix = String::from("refs/tags");
        for part in name.split('/') {
            prefix.push('/');
            prefix.push_str(part);
            if find(&prefix)? {
                return Ok(Some(prefix));
            }
        }
        let below = format!("refs/tags/{name}/");
        let platform = self.repo.references().map_err(read_err("the references"))?;
        let mut tags = platform
            .prefixed(below.as_str())
            .map_err(read_err("the references"))?;
        if let Some(tag) = tags.next() {
            let tag =
                tag.map_err(|e| read_err("the references")(std::io::Error::other(e.to_string())))?;
            return Ok(Some(tag.name().as_bstr().to_string()));
        }
        let branch = format!("refs/heads/{name}");
        Ok(find(&branch)?.then_some(branch))
    }

    /// Returns the identity a tag is made with, `Name <email>`: Git's
    /// configured committer, as `git tag` uses it.
    pub fn tagger(&self) -> Result<String, Error> {
        let sig = self.tagger_signature()?;
        Ok(format!("{} <{}>", sig.name, sig.email))
    }

    fn tagger_signature(&self) -> Result<gix::actor::Signature, Error> {
        match self.repo.committer() {
            Some(Ok(sig)) => sig.to_owned().map_err(read_err("the committer identity")),
            Some(Err(e)) => Err(read_err("the committer identity")(e)),
            None => Err(Error::NoTagger),
        }
    }

    /// Creates an annotated tag `name` on `commit`, signed as `git tag -s`
    /// signs: `sign` receives the bytes of the unsigned tag object and
    /// returns an armored signature, which ends the message. Never moves an
    /// existing tag. The tagger is Git's configured committer.
    pub fn create_tag<E>(
        &self,
        name: &str,
        commit: ObjectId,
        message: &str,
        sign: impl FnOnce(&[u8]) -> Result<String, E>,
    ) -> Result<(), Error>
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        let tag_err = |e: Box<dyn std::error::Error + Send + Sync>| Error::Tag {
            name: name.to_string(),
            source: e,
        };
        if !valid_tag_name(name) {
            return Err(Error::InvalidTagName {
                name: name.to_string(),
            });
        }
        let mut tag = gix::objs::Tag {
            target: commit,
            target_kind: gix::objs::Kind::Commit,
            name: name.into(),
            tagger: Some(self.tagger_signature()?),
            message: message.into(),
            signature: None,
        };
        let payload = object_bytes(&tag).map_err(|e| tag_err(Box::new(e)))?;
        let signature = sign(&payload).map_err(|e| tag_err(Box::new(e)))?;
        // Git keeps an SSH signature at the end of the message, right after
        // the payload it covers; gix's own signature field would put a
        // blank line between them.
        tag.message.extend_from_slice(signature.as_bytes());
        let signed = object_bytes(&tag).map_err(|e| tag_err(Box::new(e)))?;
        if !signed.starts_with(&payload) {
            return Err(tag_err(
                "the signed tag does not start with its payload".into(),
            ));
        }
        use gix::objs::Write as _;
        let id = self
            .repo
            .write_buf(gix::objs::Kind::Tag, &signed)
            .map_err(tag_err)?;
        self.repo
            .tag_reference(
                name,
                id,
                gix::refs::transaction::PreviousValue::MustNotExist,
            )
            .map(|_| ())
            .map_err(|e| tag_err(Box::new(e)))
    }
}

/// The longest tag name govern makes; Git's own limit is the file system's
/// name length for each folder of it.
const MAX_TAG_NAME: usize = 200;

/// Returns true when `name` makes a valid reference `refs/tags/{name}` that
/// Git accepts for a tag and that names nothing else: not `HEAD` or `@`,
/// not a full reference name, not too long.
pub fn valid_tag_name(name: &str) -> bool {
    !name.starts_with('-')
        && !matches!(name, "HEAD" | "@")
        && !name.starts_with("refs/")
        && name.len() <= MAX_TAG_NAME
        && gix::validate::tag::name(name.into()).is_ok()
        && gix::refs::FullName::try_from(format!("refs/tags/{name}")).is_ok()
}

/// The bytes of a tag object as Git stores them, without the header.
fn object_bytes(tag: &gix::objs::Tag) -> std::io::Result<Vec<u8>> {
    use gix::objs::WriteTo;
    let mut bytes = Vec::new();
    tag.write_to(&mut bytes)?;
    Ok(bytes)
}

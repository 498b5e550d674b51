//! Writes a long list into one file in order while rendering it on every
//! thread: the list is cut into chunks, a few chunks per thread make a
//! batch, each batch is rendered in parallel and then written. Memory
//! holds one batch, never the whole file. The large compiled files and the
//! diagnostics arrays are written this way.

use rayon::prelude::*;
use std::io::Write;

/// The items of one batch, for chunks of `chunk`: four chunks per thread.
pub fn batch(chunk: usize) -> usize {
    chunk * 4 * rayon::current_num_threads().max(1)
}

/// Writes `items` into `w` in order, rendered by `render` in parallel
/// chunks of `chunk` items (told whether its chunk is the first), a few
/// chunks per thread at a time. The first error in the order of `items`
/// is returned, after the chunks before the failing one are written.
pub fn stream<T: Sync, E: From<std::io::Error> + Send>(
    items: &[T],
    chunk: usize,
    w: &mut dyn Write,
    render: impl Fn(bool, &[T], &mut Vec<u8>) -> Result<(), E> + Sync,
) -> Result<(), E> {
    let batch = batch(chunk);
    // The buffers of one batch are those of the next: rendering into
    // memory it has already touched, a large file costs no fresh pages of
    // memory per batch, and a buffer rarely grows (copying what it holds).
    let mut buffers: Vec<Vec<u8>> = Vec::new();
    for (b, group) in items.chunks(batch).enumerate() {
        let parts = group.len().div_ceil(chunk);
        buffers.resize_with(buffers.len().max(parts), Vec::new);
        let rendered: Vec<Result<(), E>> = buffers[..parts]
            .par_iter_mut()
            .zip(group.par_chunks(chunk))
            .enumerate()
            .map(|(i, (out, part))| {
                out.clear();
                render(b == 0 && i == 0, part, out)
            })
            .collect();
        for (done, bytes) in rendered.into_iter().zip(&buffers) {
            done?;
            w.write_all(bytes)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Streams `items` in chunks of `chunk`, each item as its number and a
    /// comma, the first chunk opened by `[`; the items in `fail` fail.
    fn numbers(items: &[usize], chunk: usize, fail: &[usize]) -> (String, Option<String>) {
        let mut out = Vec::new();
        let result = stream(items, chunk, &mut out, |first, part, buf| {
            if first {
                buf.push(b'[');
            }
            for n in part {
                if fail.contains(n) {
                    return Err(std::io::Error::other(format!("failed at {n}")));
                }
                buf.extend_from_slice(format!("{n},").as_bytes());
            }
            Ok(())
        });
        (
            String::from_utf8(out).unwrap(),
            result.err().map(|e| e.to_string()),
        )
    }

    fn expected(items: &[usize]) -> String {
        let mut text = String::from("[");
        for n in items {
            text.push_str(&format!("{n},"));
        }
        text
    }

    #[test]
    fn many_batches_are_written_whole_and_in_order() {
        // Several batches and a short last one; items whose text shrinks,
        // so a reused buffer held more than its next chunk needs.
        for chunk in [1, 3, 7] {
            let count = batch(chunk) * 3 + chunk + 1;
            let mut items: Vec<usize> = (0..count).collect();
            items.reverse();
            let (text, error) = numbers(&items, chunk, &[]);
            assert_eq!(error, None);
            assert_eq!(text, expected(&items), "chunks of {chunk}");
        }
        assert_eq!(numbers(&[], 4, &[]), (String::new(), None));
    }

    #[test]
    fn the_first_failure_in_order_is_returned_after_what_precedes_its_chunk() {
        let chunk = 2;
        let items: Vec<usize> = (0..batch(chunk) * 2 + 5).collect();
        let fail = batch(chunk) + 3;
        // A later chunk of the same batch fails too, and so does one of
        // the next batch: the first in order is the one returned.
        let (text, error) = numbers(
            &items,
            chunk,
            &[fail + 2 * chunk, fail, fail + batch(chunk)],
        );
        assert_eq!(error.as_deref(), Some(format!("failed at {fail}").as_str()));
        // What precedes the failing chunk, and nothing of it or after.
        assert_eq!(text, expected(&items[..fail - fail % chunk]));
    }
}

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
/// chunks per thread at a time.
pub fn stream<T: Sync, E: From<std::io::Error> + Send>(
    items: &[T],
    chunk: usize,
    w: &mut dyn Write,
    render: impl Fn(bool, &[T], &mut Vec<u8>) -> Result<(), E> + Sync,
) -> Result<(), E> {
    let batch = batch(chunk);
    // Each chunk's buffer starts at the size of the largest so far, so
    // rendering rarely grows it (and copies what it holds).
    let mut largest = 0;
    for (b, group) in items.chunks(batch).enumerate() {
        let rendered: Vec<Result<Vec<u8>, E>> = group
            .par_chunks(chunk)
            .enumerate()
            .map(|(i, part)| {
                let mut out = Vec::with_capacity(largest);
                render(b == 0 && i == 0, part, &mut out)?;
                Ok(out)
            })
            .collect();
        for bytes in rendered {
            let bytes = bytes?;
            largest = largest.max(bytes.len());
            w.write_all(&bytes)?;
        }
    }
    Ok(())
}

// Vendored from prettyplease 0.2.37 (https://github.com/dtolnay/prettyplease, MIT OR Apache-2.0,
// by David Tolnay), unchanged but for module paths, its debug switches
// (`cfg!(prettyplease_debug…)` is `false`), an initial capacity and `from_vec`/`into_vec` (the
// buffer handed from one printer to the next): the printing algorithm that `emit::fast` drives
// with the same calls prettyplease makes, so both print the same bytes.

use std::collections::VecDeque;
use std::ops::{Index, IndexMut, Range};

pub struct RingBuffer<T> {
    data: VecDeque<T>,
    // Abstract index of data[0] in infinitely sized queue
    offset: usize,
}

impl<T> RingBuffer<T> {
    pub fn new() -> Self {
        RingBuffer {
            // Room for what an item usually holds at once: one allocation, no regrowth.
            data: VecDeque::with_capacity(64),
            offset: 0,
        }
    }

    /// A ring buffer over `data`'s allocation (emptied).
    pub fn from_vec(mut data: Vec<T>) -> Self {
        data.clear();
        RingBuffer {
            data: VecDeque::from(data),
            offset: 0,
        }
    }

    /// The allocation, emptied.
    pub fn into_vec(self) -> Vec<T> {
        let mut data = Vec::from(self.data);
        data.clear();
        data
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub fn len(&self) -> usize {
        self.data.len()
    }

    pub fn push(&mut self, value: T) -> usize {
        let index = self.offset + self.data.len();
        self.data.push_back(value);
        index
    }

    pub fn clear(&mut self) {
        self.data.clear();
    }

    pub fn index_range(&self) -> Range<usize> {
        self.offset..self.offset + self.data.len()
    }

    pub fn first(&self) -> &T {
        &self.data[0]
    }

    pub fn first_mut(&mut self) -> &mut T {
        &mut self.data[0]
    }

    pub fn pop_first(&mut self) -> T {
        self.offset += 1;
        self.data.pop_front().unwrap()
    }

    pub fn last(&self) -> &T {
        self.data.back().unwrap()
    }

    pub fn last_mut(&mut self) -> &mut T {
        self.data.back_mut().unwrap()
    }

    pub fn second_last(&self) -> &T {
        &self.data[self.data.len() - 2]
    }

    pub fn pop_last(&mut self) {
        self.data.pop_back().unwrap();
    }
}

impl<T> Index<usize> for RingBuffer<T> {
    type Output = T;
    fn index(&self, index: usize) -> &Self::Output {
        &self.data[index.checked_sub(self.offset).unwrap()]
    }
}

impl<T> IndexMut<usize> for RingBuffer<T> {
    fn index_mut(&mut self, index: usize) -> &mut Self::Output {
        &mut self.data[index.checked_sub(self.offset).unwrap()]
    }
}

// Vendored from prettyplease 0.2.37 (https://github.com/dtolnay/prettyplease, MIT OR Apache-2.0,
// by David Tolnay), unchanged in what it does but for module paths and cheaper data
// (sdkwright: a `Vec` and the position of its first live entry instead of a `VecDeque`, for
// `Copy` entries: popping the front is a read and an increment, indexing one subtraction; the
// allocation handed from one printer to the next): the printing algorithm that `emit::fast`
// drives with the same calls prettyplease makes, so both print the same bytes.

use std::ops::{Index, IndexMut, Range};

pub struct RingBuffer<T> {
    /// The entries: `data[head..]` are live, `data[..head]` popped and not yet dropped.
    data: Vec<T>,
    head: usize,
    /// Abstract index of data[0] in an infinitely sized queue.
    base: usize,
}

impl<T: Copy> RingBuffer<T> {
    pub fn new() -> Self {
        // Room for what an item usually holds at once: one allocation, no regrowth.
        Self::from_vec(Vec::with_capacity(64))
    }

    /// A ring buffer over `data`'s allocation (emptied).
    pub fn from_vec(mut data: Vec<T>) -> Self {
        data.clear();
        RingBuffer {
            data,
            head: 0,
            base: 0,
        }
    }

    /// The allocation, emptied.
    pub fn into_vec(self) -> Vec<T> {
        let mut data = self.data;
        data.clear();
        data
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.head == self.data.len()
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.data.len() - self.head
    }

    #[inline]
    pub fn push(&mut self, value: T) -> usize {
        if self.head == self.data.len() {
            // Empty: start again at the allocation's start.
            self.base += self.head;
            self.head = 0;
            self.data.clear();
        } else if self.head >= 256 && self.head * 2 >= self.data.len() {
            // Mostly popped entries: drop them (amortised: at least as many pops as moves).
            self.data.drain(..self.head);
            self.base += self.head;
            self.head = 0;
        }
        let index = self.base + self.data.len();
        self.data.push(value);
        index
    }

    #[inline]
    pub fn clear(&mut self) {
        self.base += self.head;
        self.head = 0;
        self.data.clear();
    }

    #[inline]
    pub fn index_range(&self) -> Range<usize> {
        self.base + self.head..self.base + self.data.len()
    }

    #[inline]
    pub fn first(&self) -> &T {
        &self.data[self.head]
    }

    #[inline]
    pub fn first_mut(&mut self) -> &mut T {
        &mut self.data[self.head]
    }

    #[inline]
    pub fn pop_first(&mut self) -> T {
        let value = self.data[self.head];
        self.head += 1;
        value
    }

    #[inline]
    pub fn last(&self) -> &T {
        assert!(!self.is_empty());
        self.data.last().unwrap()
    }

    #[inline]
    pub fn last_mut(&mut self) -> &mut T {
        assert!(!self.is_empty());
        self.data.last_mut().unwrap()
    }

    #[inline]
    pub fn second_last(&self) -> &T {
        assert!(self.len() >= 2);
        &self.data[self.data.len() - 2]
    }

    #[inline]
    pub fn pop_last(&mut self) {
        assert!(!self.is_empty());
        self.data.pop();
    }
}

impl<T> Index<usize> for RingBuffer<T> {
    type Output = T;
    #[inline]
    fn index(&self, index: usize) -> &Self::Output {
        let at = index.checked_sub(self.base).unwrap();
        assert!(at >= self.head);
        &self.data[at]
    }
}

impl<T> IndexMut<usize> for RingBuffer<T> {
    #[inline]
    fn index_mut(&mut self, index: usize) -> &mut Self::Output {
        let at = index.checked_sub(self.base).unwrap();
        assert!(at >= self.head);
        &mut self.data[at]
    }
}

package kernels

import "sync"

// freeList keeps objects for reuse, like a sync.Pool that never drops them:
// a sync.Pool is emptied by every second garbage collection and keeps one
// list per P, so a call could still allocate a job or 300 KB of packing
// scratch now and then. The lists here hold at most as many objects as
// calls ever ran at once (participants × concurrent callers), which is a
// handful.
type freeList[T any] struct {
	mu    sync.Mutex
	items []*T
	new   func() *T
}

// get returns a kept object, or a new one when none is free.
func (f *freeList[T]) get() *T {
	f.mu.Lock()
	if n := len(f.items); n > 0 {
		x := f.items[n-1]
		f.items[n-1] = nil
		f.items = f.items[:n-1]
		f.mu.Unlock()
		return x
	}
	f.mu.Unlock()
	return f.new()
}

// put keeps x for a later get.
func (f *freeList[T]) put(x *T) {
	f.mu.Lock()
	f.items = append(f.items, x)
	f.mu.Unlock()
}

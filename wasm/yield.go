//go:build js && wasm

package main

import (
	"fmt"
	"time"

	"github.com/hack-pad/safejs"
)

// yieldEvery is how much uninterrupted work a run may do before it hands the
// worker's event loop a turn, so that pause and stop arrive promptly.
const yieldEvery = 30 * time.Millisecond

// yielder lets a computing goroutine give the JS event loop a turn. Go on
// wasm returns to the event loop only when every goroutine is blocked, so
// Yield posts a message to itself through a MessageChannel (which, unlike
// setTimeout, is not clamped to 4 ms) and blocks until it arrives; meanwhile
// queued messages (stop, pause) are delivered.
type yielder struct {
	send safejs.Value // port2: Yield posts here
	fn   safejs.Func  // port1's onmessage
	wake chan struct{}
	last time.Time
}

func newYielder() (*yielder, error) {
	mc, err := safejs.Global().Get("MessageChannel")
	if err != nil {
		return nil, err
	}
	ch, err := mc.New()
	if err != nil {
		return nil, fmt.Errorf("new MessageChannel: %w", err)
	}
	recv, err := ch.Get("port1")
	if err != nil {
		return nil, err
	}
	y := &yielder{wake: make(chan struct{}, 1), last: time.Now()}
	if y.send, err = ch.Get("port2"); err != nil {
		return nil, err
	}
	y.fn, err = safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		select {
		case y.wake <- struct{}{}:
		default:
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := recv.Set("onmessage", y.fn); err != nil {
		return nil, err
	}
	return y, nil
}

// Yield gives the event loop one turn.
func (y *yielder) Yield() {
	if _, err := y.send.Call("postMessage", 0); err != nil {
		return // cannot happen with a live channel; computing on is safe
	}
	<-y.wake
	y.last = time.Now()
}

// Maybe yields if yieldEvery has passed since the last turn.
func (y *yielder) Maybe() {
	if time.Since(y.last) >= yieldEvery {
		y.Yield()
	}
}

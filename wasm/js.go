//go:build js && wasm

package main

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/hack-pad/safejs"
)

// jsEnv holds the worker globals the bridge uses, looked up once.
type jsEnv struct {
	self         safejs.Value // the worker's global scope
	json         safejs.Value // JSON
	uint8Array   safejs.Value // the Uint8Array constructor
	float32Array safejs.Value // the Float32Array constructor
}

func newJSEnv() (*jsEnv, error) {
	g := safejs.Global()
	e := &jsEnv{self: g}
	var err error
	for _, f := range []struct {
		dst  *safejs.Value
		name string
	}{{&e.json, "JSON"}, {&e.uint8Array, "Uint8Array"}, {&e.float32Array, "Float32Array"}} {
		if *f.dst, err = g.Get(f.name); err != nil {
			return nil, fmt.Errorf("global %s: %w", f.name, err)
		}
		if f.dst.IsUndefined() {
			return nil, fmt.Errorf("global %s is undefined", f.name)
		}
	}
	return e, nil
}

// binaryField is a typed array that travels with an event under key and
// whose buffer is transferred, not copied.
type binaryField struct {
	key string
	arr safejs.Value
}

// post sends ev (any JSON-encodable value that encodes to an object) to the
// page, with the binary fields added to the object and their buffers in the
// transfer list.
func (e *jsEnv) post(ev any, bins ...binaryField) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	obj, err := e.json.Call("parse", string(b))
	if err != nil {
		return fmt.Errorf("JSON.parse event: %w", err)
	}
	transfer := make([]any, 0, len(bins))
	for _, f := range bins {
		if err := obj.Set(f.key, f.arr); err != nil {
			return fmt.Errorf("event field %s: %w", f.key, err)
		}
		buf, err := f.arr.Get("buffer")
		if err != nil {
			return fmt.Errorf("event field %s: %w", f.key, err)
		}
		transfer = append(transfer, buf)
	}
	if _, err := e.self.Call("postMessage", obj, transfer); err != nil {
		return fmt.Errorf("postMessage: %w", err)
	}
	return nil
}

// bytesToJS copies b into a new Uint8Array.
func (e *jsEnv) bytesToJS(b []byte) (safejs.Value, error) {
	arr, err := e.uint8Array.New(len(b))
	if err != nil {
		return safejs.Value{}, err
	}
	if _, err := safejs.CopyBytesToJS(arr, b); err != nil {
		return safejs.Value{}, err
	}
	return arr, nil
}

// floatsToJS copies f into a new Float32Array (through one byte copy of its
// little-endian encoding; wasm is little-endian, as are typed arrays here).
func (e *jsEnv) floatsToJS(f []float32) (safejs.Value, error) {
	b := make([]byte, 4*len(f))
	for i, v := range f {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	u8, err := e.bytesToJS(b)
	if err != nil {
		return safejs.Value{}, err
	}
	buf, err := u8.Get("buffer")
	if err != nil {
		return safejs.Value{}, err
	}
	return e.float32Array.New(buf)
}

// bytesFromJS copies the bytes of a typed array (any element type) or an
// ArrayBuffer into Go.
func (e *jsEnv) bytesFromJS(v safejs.Value) ([]byte, error) {
	if v.IsUndefined() || v.IsNull() {
		return nil, errors.New("missing")
	}
	u8 := v
	if ok, _ := v.InstanceOf(e.uint8Array); !ok {
		buf, off, n := v, 0, 0
		if bv, err := v.Get("buffer"); err == nil && !bv.IsUndefined() {
			buf = bv
			if off, err = intProp(v, "byteOffset"); err != nil {
				return nil, err
			}
		}
		n, err := intProp(v, "byteLength")
		if err != nil {
			return nil, errors.New("not a typed array or ArrayBuffer")
		}
		if u8, err = e.uint8Array.New(buf, off, n); err != nil {
			return nil, err
		}
	}
	n, err := intProp(u8, "length")
	if err != nil {
		return nil, err
	}
	b := make([]byte, n)
	if _, err := safejs.CopyBytesToGo(b, u8); err != nil {
		return nil, err
	}
	return b, nil
}

// floatsFromJS copies a Float32Array into Go.
func (e *jsEnv) floatsFromJS(v safejs.Value) ([]float32, error) {
	if ok, _ := v.InstanceOf(e.float32Array); !ok {
		return nil, errors.New("want a Float32Array")
	}
	b, err := e.bytesFromJS(v)
	if err != nil {
		return nil, err
	}
	f := make([]float32, len(b)/4)
	for i := range f {
		f[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return f, nil
}

// stringify returns JSON.stringify(v).
func (e *jsEnv) stringify(v safejs.Value) (string, error) {
	s, err := e.json.Call("stringify", v)
	if err != nil {
		return "", err
	}
	if s.Type() != safejs.TypeString {
		return "", errors.New("not JSON-encodable")
	}
	return s.String()
}

// intProp reads v[key] as an integer; a missing key is an error.
func intProp(v safejs.Value, key string) (int, error) {
	p, err := v.Get(key)
	if err != nil {
		return 0, err
	}
	if p.Type() != safejs.TypeNumber {
		return 0, fmt.Errorf("%s: want a number", key)
	}
	return p.Int()
}

// optInt reads v[key] as an integer, def when it is missing.
func optInt(v safejs.Value, key string, def int) (int, error) {
	p, err := v.Get(key)
	if err != nil {
		return 0, err
	}
	if p.IsUndefined() || p.IsNull() {
		return def, nil
	}
	if p.Type() != safejs.TypeNumber {
		return 0, fmt.Errorf("%s: want a number", key)
	}
	f, err := p.Float()
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<31 {
		return 0, fmt.Errorf("%s = %v: want an integer", key, f)
	}
	return int(f), nil
}

// optString reads v[key] as a string, def when it is missing.
func optString(v safejs.Value, key, def string) (string, error) {
	p, err := v.Get(key)
	if err != nil {
		return "", err
	}
	if p.IsUndefined() || p.IsNull() {
		return def, nil
	}
	if p.Type() != safejs.TypeString {
		return "", fmt.Errorf("%s: want a string", key)
	}
	return p.String()
}

// await blocks the calling goroutine (never a JS callback) until the
// promise p settles, and returns its value or its rejection as an error.
func await(p safejs.Value) (safejs.Value, error) {
	type settled struct {
		v   safejs.Value
		err error
	}
	ch := make(chan settled, 1)
	onOK, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		v := safejs.Undefined()
		if len(args) > 0 {
			v = args[0]
		}
		ch <- settled{v: v}
		return nil
	})
	if err != nil {
		return safejs.Value{}, err
	}
	defer onOK.Release()
	onErr, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		msg := "rejected"
		if len(args) > 0 {
			msg = jsErrorText(args[0])
		}
		ch <- settled{err: errors.New(msg)}
		return nil
	})
	if err != nil {
		return safejs.Value{}, err
	}
	defer onErr.Release()
	if _, err := p.Call("then", onOK, onErr); err != nil {
		return safejs.Value{}, err
	}
	s := <-ch
	return s.v, s.err
}

// jsErrorText is the message of a JS error value (or its string form).
func jsErrorText(v safejs.Value) string {
	if v.Type() == safejs.TypeObject {
		if m, err := v.Get("message"); err == nil && m.Type() == safejs.TypeString {
			if s, err := m.String(); err == nil {
				return s
			}
		}
	}
	s, err := v.String()
	if err != nil {
		return "unknown JavaScript error"
	}
	return s
}

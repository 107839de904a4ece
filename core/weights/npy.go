package weights

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// npyMagic starts every .npy file.
const npyMagic = "\x93NUMPY"

// npyPrefix is the magic, the two version bytes and the version 1.0
// little-endian uint16 header length.
const npyPrefix = len(npyMagic) + 2 + 2

// npyAlign is the alignment NumPy (since 1.14 / format spec) pads the data
// offset to; the header ends in a newline just before it.
const npyAlign = 64

// npyHeader describes one array, as read from a .npy header dictionary.
type npyHeader struct {
	descr   string
	fortran bool
	shape   []int
}

// formatHeader returns the complete version 1.0 preamble (magic, version,
// length, dictionary padded with spaces and terminated by a newline so the
// data starts at a multiple of 64 bytes) for a C-ordered float32 array.
func formatHeader(shape []int) []byte {
	dict := "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeLiteral(shape) + ", }"
	return padHeader(dict)
}

// padHeader wraps a header dictionary into the version 1.0 preamble.
func padHeader(dict string) []byte {
	n := npyPrefix + len(dict) + 1 // +1 for the newline
	pad := (npyAlign - n%npyAlign) % npyAlign
	hlen := len(dict) + pad + 1
	b := make([]byte, 0, npyPrefix+hlen)
	b = append(b, npyMagic...)
	b = append(b, 1, 0, byte(hlen), byte(hlen>>8))
	b = append(b, dict...)
	for range pad {
		b = append(b, ' ')
	}
	return append(b, '\n')
}

// shapeLiteral formats a shape as a Python tuple: "()", "(3,)", "(3, 4)".
func shapeLiteral(shape []int) string {
	var sb strings.Builder
	sb.WriteByte('(')
	for i, d := range shape {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(strconv.Itoa(d))
	}
	if len(shape) == 1 {
		sb.WriteByte(',')
	}
	sb.WriteByte(')')
	return sb.String()
}

// dtypeNames gives a readable name for common NumPy type strings, for error
// messages.
var dtypeNames = map[string]string{
	"<f2": "float16", "<f8": "float64", ">f4": "big-endian float32", ">f8": "big-endian float64",
	"<i4": "int32", "<i8": "int64", "|u1": "uint8", "|i1": "int8", "|b1": "bool", "<u4": "uint32",
}

// parseHeader parses a .npy header dictionary strictly: a Python dict
// literal with exactly the keys 'descr' (a string), 'fortran_order' (True or
// False) and 'shape' (a tuple of non-negative integers), optionally followed
// by spaces and a newline. NumPy itself accepts exactly these keys.
func parseHeader(h string) (npyHeader, error) {
	p := &headerParser{s: strings.TrimRight(h, " \n\r\t\x00")}
	var hd npyHeader
	seen := map[string]bool{}
	if !p.eat('{') {
		return hd, errors.New("header is not a dictionary")
	}
	for {
		p.space()
		if p.eat('}') {
			break
		}
		key, err := p.str()
		if err != nil {
			return hd, fmt.Errorf("header key: %w", err)
		}
		if seen[key] {
			return hd, fmt.Errorf("header repeats key %q", key)
		}
		seen[key] = true
		p.space()
		if !p.eat(':') {
			return hd, fmt.Errorf("header: no ':' after key %q", key)
		}
		p.space()
		switch key {
		case "descr":
			if hd.descr, err = p.str(); err != nil {
				return hd, fmt.Errorf("header 'descr': %w", err)
			}
		case "fortran_order":
			switch {
			case p.word("True"):
				hd.fortran = true
			case p.word("False"):
				hd.fortran = false
			default:
				return hd, errors.New("header 'fortran_order' is not True or False")
			}
		case "shape":
			if hd.shape, err = p.tuple(); err != nil {
				return hd, fmt.Errorf("header 'shape': %w", err)
			}
		default:
			return hd, fmt.Errorf("header has unknown key %q", key)
		}
		p.space()
		if p.eat(',') {
			continue
		}
		p.space()
		if !p.eat('}') {
			return hd, errors.New("header dictionary is malformed")
		}
		break
	}
	if p.i != len(p.s) {
		return hd, errors.New("header has text after the dictionary")
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return hd, fmt.Errorf("header lacks key %q", k)
		}
	}
	return hd, nil
}

// headerParser is a cursor over a header dictionary.
type headerParser struct {
	s string
	i int
}

func (p *headerParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *headerParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *headerParser) word(w string) bool {
	if strings.HasPrefix(p.s[p.i:], w) {
		p.i += len(w)
		return true
	}
	return false
}

// str reads a quoted string without escapes (NumPy's keys and type strings
// never need them).
func (p *headerParser) str() (string, error) {
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", errors.New("expected a quoted string")
	}
	q := p.s[p.i]
	end := strings.IndexByte(p.s[p.i+1:], q)
	if end < 0 {
		return "", errors.New("unterminated string")
	}
	v := p.s[p.i+1 : p.i+1+end]
	if strings.ContainsRune(v, '\\') {
		return "", errors.New("escaped strings are not supported")
	}
	p.i += end + 2
	return v, nil
}

// tuple reads a tuple of non-negative decimal integers, each at most
// maxDim.
func (p *headerParser) tuple() ([]int, error) {
	if !p.eat('(') {
		return nil, errors.New("expected a tuple")
	}
	shape := []int{}
	for {
		p.space()
		if p.eat(')') {
			return shape, nil
		}
		start := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		if p.i == start {
			return nil, errors.New("expected a non-negative integer")
		}
		d, err := strconv.Atoi(p.s[start:p.i])
		if err != nil || d > maxDim {
			return nil, fmt.Errorf("dimension %s is too large", p.s[start:p.i])
		}
		shape = append(shape, d)
		p.space()
		if p.eat(',') {
			continue
		}
		p.space()
		if !p.eat(')') {
			return nil, errors.New("malformed tuple")
		}
		// A one-element tuple needs its trailing comma in Python: "(3)"
		// is the integer 3, which NumPy rejects too.
		if len(shape) == 1 {
			return nil, errors.New("one-element shape needs a trailing comma")
		}
		return shape, nil
	}
}

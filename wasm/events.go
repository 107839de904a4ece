//go:build js && wasm

package main

import "vaeaug/core/study"

// protocolVersion is sent with "ready"; bump it when PROTOCOL.md changes
// incompatibly.
const protocolVersion = 1

// Events the worker posts. Field names are the protocol's (PROTOCOL.md);
// typed arrays are added to the encoded object by jsEnv.post.

type readyEvent struct {
	Type    string `json:"type"`
	Version int    `json:"version"`
	SIMD    bool   `json:"simd"`
	memoryFields
	MemoryCeiling int64 `json:"memoryCeiling"`
}

type idEvent struct {
	Type string `json:"type"`
	ID   int    `json:"id"`
}

type errorEvent struct {
	Type    string `json:"type"`
	ID      int    `json:"id"`
	RunID   int    `json:"runId,omitempty"`
	Message string `json:"message"`
	Detail  string `json:"detail,omitempty"`
}

type loadedEvent struct {
	Type    string  `json:"type"`
	ID      int     `json:"id"`
	Bytes   int     `json:"bytes"`
	Pool    int     `json:"pool"`
	Val     int     `json:"val"`
	Test    int     `json:"test"`
	Seconds float64 `json:"seconds"`
	// Prepared is true when the worker script had downloaded, hashed and
	// unpacked the files before Go needed them (wasm/prefetch.go).
	Prepared bool `json:"prepared"`
	memoryFields
}

type startedEvent struct {
	Type   string       `json:"type"`
	ID     int          `json:"id"`
	RunID  int          `json:"runId"`
	Config study.Config `json:"config"`
	// MemoryEstimate is study.EstimateMemory(Config).Total(), at most
	// MemoryCeiling (a config over it is refused).
	MemoryEstimate int64 `json:"memoryEstimate"`
	MemoryCeiling  int64 `json:"memoryCeiling"`
}

type runEvent struct {
	Type  string `json:"type"`
	ID    int    `json:"id,omitempty"`
	RunID int    `json:"runId"`
}

// progressEvent reports where a run (or the data load) is. Done and Total
// count the stage's units: bytes for "load data", epochs for "train VAE",
// images for "generate", steps for "train classifier".
type progressEvent struct {
	Type         string  `json:"type"`
	RunID        int     `json:"runId"`
	Stage        string  `json:"stage"`
	Arm          string  `json:"arm,omitempty"`
	K            int     `json:"k"`
	Level        int     `json:"level"`
	Done         int     `json:"done"`
	Total        int     `json:"total"`
	Loss         float64 `json:"loss"`
	ValAcc       float64 `json:"valAcc"`
	Images       int     `json:"images"`
	ImagesPerSec float64 `json:"imagesPerSec"`
	EtaSeconds   float64 `json:"etaSeconds"`
	Elapsed      float64 `json:"elapsed"`
	memoryFields
}

// samplesEvent carries originals (count×784 bytes, field "originals") and
// shown generated images for each (count×shown×784 bytes, field "samples").
type samplesEvent struct {
	Type  string `json:"type"`
	RunID int    `json:"runId"`
	Arm   string `json:"arm"`
	Level int    `json:"level"`
	K     int    `json:"k"`
	Count int    `json:"count"`
	Shown int    `json:"shown"`
}

type snapshotEvent struct {
	Type     string         `json:"type"`
	RunID    int            `json:"runId"`
	Snapshot study.Snapshot `json:"snapshot"`
}

type armDoneEvent struct {
	Type  string          `json:"type"`
	RunID int             `json:"runId"`
	Arm   study.ArmResult `json:"arm"`
	memoryFields
}

type resultEvent struct {
	Type   string        `json:"type"`
	RunID  int           `json:"runId"`
	Result *study.Result `json:"result"`
	memoryFields
}

// predictionEvent carries count×10 probabilities per classifier (fields
// "baseline" and, when an augmented arm was kept, "augmented") and, for
// test digits, their labels and pixels.
type predictionEvent struct {
	Type          string    `json:"type"`
	ID            int       `json:"id"`
	Count         int       `json:"count"`
	BaselineArm   *keptInfo `json:"baselineArm,omitempty"`
	AugmentedArm  *keptInfo `json:"augmentedArm,omitempty"`
	BaselinePred  []int     `json:"baselinePred"`
	AugmentedPred []int     `json:"augmentedPred,omitempty"`
	Labels        []int     `json:"labels,omitempty"`
	Offset        int       `json:"offset,omitempty"`
}

type exportEvent struct {
	Type     string   `json:"type"`
	ID       int      `json:"id"`
	Which    string   `json:"which"`
	Arm      keptInfo `json:"arm"`
	Filename string   `json:"filename"`
}

type imagesEvent struct {
	Type  string `json:"type"`
	ID    int    `json:"id"`
	Count int    `json:"count"`
	Steps int    `json:"steps,omitempty"`
	From  int    `json:"from,omitempty"`
	To    int    `json:"to,omitempty"`
	Level int    `json:"level"`
}

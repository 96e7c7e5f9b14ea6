package bench

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// memWatch records the peak memory of every process running one executable
// (the provider, started by terraform), by reading VmHWM, the kernel's
// high-water mark of a process's resident memory, from /proc. VmHWM only
// grows, so sampling every few milliseconds misses at most the growth in a
// process's last moments.
type memWatch struct {
	exe  string
	stop chan struct{}
	done chan struct{}

	mu    sync.Mutex
	peaks map[int]int64 // pid → VmHWM in bytes
}

const memSampleEvery = 5 * time.Millisecond

func watchMemory(exe string) *memWatch {
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	w := &memWatch{exe: exe, stop: make(chan struct{}), done: make(chan struct{}), peaks: map[int]int64{}}
	go w.loop()
	return w
}

func (w *memWatch) loop() {
	defer close(w.done)
	ticker := time.NewTicker(memSampleEvery)
	defer ticker.Stop()
	for {
		w.sample()
		select {
		case <-w.stop:
			return
		case <-ticker.C:
		}
	}
}

func (w *memWatch) sample() {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		dir := "/proc/" + e.Name()
		if exe, err := os.Readlink(dir + "/exe"); err != nil || exe != w.exe {
			continue
		}
		if hwm, ok := readVmHWM(dir + "/status"); ok {
			w.mu.Lock()
			w.peaks[pid] = max(w.peaks[pid], hwm)
			w.mu.Unlock()
		}
	}
}

// Stop ends the watch and returns the largest peak of any one process and
// how many processes were seen.
func (w *memWatch) Stop() (peakBytes int64, processes int) {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.peaks {
		peakBytes = max(peakBytes, p)
	}
	return peakBytes, len(w.peaks)
}

func readVmHWM(statusPath string) (int64, bool) {
	data, err := os.ReadFile(statusPath)
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:")); ok {
			kb, err := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte(" kB"))), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}

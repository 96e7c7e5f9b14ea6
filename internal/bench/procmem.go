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
	peaks map[int]int64         // pid → VmHWM in bytes
	cpu   map[int]time.Duration // pid → user+system CPU, as last sampled
}

const memSampleEvery = 5 * time.Millisecond

func watchMemory(exe string) *memWatch {
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	w := &memWatch{exe: exe, stop: make(chan struct{}), done: make(chan struct{}), peaks: map[int]int64{}, cpu: map[int]time.Duration{}}
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
		if cpu, ok := readCPU(dir + "/stat"); ok {
			w.mu.Lock()
			w.cpu[pid] = max(w.cpu[pid], cpu)
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

// CPU is the CPU time of all the processes seen, as last sampled: it
// misses at most each process's last few milliseconds. Unlike wall time it
// hardly moves when other work shares the machine.
func (w *memWatch) CPU() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	var total time.Duration
	for _, c := range w.cpu {
		total += c
	}
	return total
}

// clockTicks is the unit of the CPU times in /proc/<pid>/stat (USER_HZ),
// 100 on every Linux architecture Go supports.
const clockTicks = 100

// readCPU reads utime+stime, the 14th and 15th fields of /proc/<pid>/stat;
// the fields are counted after the command name, which may hold spaces.
func readCPU(statPath string) (time.Duration, bool) {
	data, err := os.ReadFile(statPath)
	if err != nil {
		return 0, false
	}
	end := bytes.LastIndexByte(data, ')')
	if end < 0 {
		return 0, false
	}
	fields := bytes.Fields(data[end+1:])
	if len(fields) < 13 {
		return 0, false
	}
	// fields[0] is the 3rd field (state); utime and stime are the 14th and 15th.
	utime, err1 := strconv.ParseInt(string(fields[11]), 10, 64)
	stime, err2 := strconv.ParseInt(string(fields[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, true
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

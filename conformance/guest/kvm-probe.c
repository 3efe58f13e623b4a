/*
 * kvm-probe: what QEMU 7.2's kvm_arch_init (target/ppc/kvm.c) would read from the KVM of this
 * hypervisor guest, one line per fact, for the conformance harness (conformance/README.md,
 * "Planner-facing descriptions"). Cross-compiled by conformance/setup.sh (static, ppc64le).
 *
 *   kvm-probe PREFIX     prints "PREFIX KVM <NAME>=<value>" lines, the last one "PREFIX KVM DONE=1"
 *
 * Values are printed raw (numbers, hex bit masks, "absent", "error:<errno name>"); the harness
 * derives the planner's snapshot from them (conformance/kvm-probe.ts), not this program.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/kvm.h>

#define PROBE_VERSION 1

static const char *prefix = "CONFORMANCE[L?]";

/* One fact, one write(2): the console is shared with the kernel and the init. */
static void fact(const char *name, const char *fmt, ...)
{
	char line[512];
	int n = snprintf(line, sizeof(line), "%s KVM %s=", prefix, name);
	va_list ap;

	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(1, line, n) < 0)
		_exit(1);
}

static const char *err_name(int e)
{
	switch (e) {
	case ENOENT: return "ENOENT";
	case ENODEV: return "ENODEV";
	case ENXIO: return "ENXIO";
	case EINVAL: return "EINVAL";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOTTY: return "ENOTTY";
	case ENOMEM: return "ENOMEM";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EIO: return "EIO";
	default: return "errno";
	}
}

static void fact_err(const char *name, int e)
{
	fact(name, "error:%s(%d)", err_name(e), e);
}

/* A whole small file, trailing newline removed; -1 when it cannot be read. */
static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return (int)n;
}

/* /proc/cpuinfo line "<key>\t: value" (the first one). */
static void cpuinfo(const char *key, const char *name)
{
	static char text[16384];
	char *line, *save = NULL, *v;
	size_t klen = strlen(key);

	if (read_small("/proc/cpuinfo", text, sizeof(text)) < 0) {
		fact_err(name, errno);
		return;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, key, klen) != 0 || (line[klen] != '\t' && line[klen] != ' ' && line[klen] != ':'))
			continue;
		v = strchr(line, ':');
		if (!v)
			break;
		for (v++; *v == ' ' || *v == '\t'; v++)
			;
		fact(name, "%s", v);
		return;
	}
	fact(name, "absent");
}

/*
 * kvmppc_get_dec_bits: kvmppc_read_int_cpu_dt("ibm,dec-bits") in the first entry of
 * /proc/device-tree/cpus/ (not . or ..) that has a clock-frequency property
 * (kvmppc_find_cpu_dt); a 4- or 8-byte big-endian cell. QEMU takes a value > 0, else 0.
 */
static void dec_bits(void)
{
	const char *root = "/proc/device-tree/cpus/";
	char path[512], node[512] = "";
	unsigned char b[8];
	struct dirent *d;
	DIR *dp = opendir(root);
	int fd, n;
	uint64_t v = 0;

	if (!dp) {
		fact_err("DEC_BITS", errno);
		return;
	}
	while ((d = readdir(dp)) != NULL) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s%s/clock-frequency", root, d->d_name);
		if (access(path, R_OK) == 0) {
			snprintf(node, sizeof(node), "%s%s", root, d->d_name);
			break;
		}
	}
	closedir(dp);
	if (!node[0]) {
		fact("DEC_BITS", "absent");
		fact("CPU_DT_NODE", "absent");
		return;
	}
	fact("CPU_DT_NODE", "%s", node);
	snprintf(path, sizeof(path), "%s/ibm,dec-bits", node);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fact("DEC_BITS", "absent");
		return;
	}
	n = read(fd, b, sizeof(b));
	close(fd);
	if (n == 4)
		v = ((uint64_t)b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
	else if (n == 8)
		for (int i = 0; i < 8; i++)
			v = (v << 8) | b[i];
	else {
		fact("DEC_BITS", "error:length-%d", n);
		return;
	}
	fact("DEC_BITS", "%llu", (unsigned long long)v);
}

/* kvm_vm_check_extension: the VM fd, and the system fd when the VM ioctl fails. */
static void cap(int sys, int vm, const char *name, int nr)
{
	int r = ioctl(vm, KVM_CHECK_EXTENSION, nr);

	if (r < 0)
		r = ioctl(sys, KVM_CHECK_EXTENSION, nr);
	if (r < 0)
		fact_err(name, errno);
	else
		fact(name, "%d", r);
}

#define CAP(name) cap(sys, vm, #name, name)

int main(int argc, char **argv)
{
	struct utsname u;
	char buf[256];
	unsigned long pvr;
	int sys, vm, r;

	if (argc > 1)
		prefix = argv[1];
	fact("PROBE_VERSION", "%d", PROBE_VERSION);
	if (uname(&u) == 0)
		fact("KERNEL_RELEASE", "%s", u.release);
	cpuinfo("cpu", "CPU");
	cpuinfo("revision", "CPU_REVISION");
	/* kvmppc_power8_host: mfpvr() (the kernel emulates mfpvr in problem state) */
	__asm__ volatile("mfpvr %0" : "=r"(pvr));
	fact("PVR", "0x%08lx", pvr);
	/* qemu_minrampagesize() of anonymous guest RAM = qemu_real_host_page_size() = getpagesize() */
	fact("PAGE_SIZE", "%ld", (long)getpagesize());
	dec_bits();
	if (read_small("/sys/module/kvm_hv/parameters/nested", buf, sizeof(buf)) >= 0)
		fact("NESTED_PARAM", "%s", buf);
	else
		fact("NESTED_PARAM", "absent");

	sys = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (sys < 0) {
		fact_err("DEV_KVM", errno);
		goto done;
	}
	fact("DEV_KVM", "ok");
	fact("API_VERSION", "%d", ioctl(sys, KVM_GET_API_VERSION, 0));
	do {
		vm = ioctl(sys, KVM_CREATE_VM, 0);
	} while (vm < 0 && errno == EINTR);
	if (vm < 0) {
		fact_err("CREATE_VM", errno);
		goto done;
	}
	fact("CREATE_VM", "ok");
	/* kvm_arch_init: kvmppc_is_pr() is GET_PVINFO != 0 */
	CAP(KVM_CAP_PPC_GET_PVINFO);
	CAP(KVM_CAP_PPC_MMU_RADIX);
	CAP(KVM_CAP_PPC_MMU_HASH_V3);
	CAP(KVM_CAP_PPC_NESTED_HV);
	CAP(KVM_CAP_PPC_RPT_INVALIDATE);
	CAP(KVM_CAP_PPC_HTM);
	CAP(KVM_CAP_PPC_FWNMI);
	CAP(KVM_CAP_PPC_AIL_MODE_3);
	CAP(KVM_CAP_PPC_GET_CPU_CHAR);
	CAP(KVM_CAP_PPC_DAWR1);
	CAP(KVM_CAP_PPC_IRQ_XIVE);
	CAP(KVM_CAP_PPC_SMT_POSSIBLE);
	CAP(KVM_CAP_PPC_GET_SMMU_INFO);
	/* kvmppc_get_cpu_characteristics: only when the cap says so */
	if (ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_PPC_GET_CPU_CHAR) > 0) {
		struct kvm_ppc_cpu_char c;

		memset(&c, 0, sizeof(c));
		if (ioctl(vm, KVM_PPC_GET_CPU_CHAR, &c) < 0) {
			fact_err("CPU_CHAR", errno);
		} else {
			fact("CPU_CHAR_CHARACTER", "0x%016llx", (unsigned long long)c.character);
			fact("CPU_CHAR_CHARACTER_MASK", "0x%016llx", (unsigned long long)c.character_mask);
			fact("CPU_CHAR_BEHAVIOUR", "0x%016llx", (unsigned long long)c.behaviour);
			fact("CPU_CHAR_BEHAVIOUR_MASK", "0x%016llx", (unsigned long long)c.behaviour_mask);
		}
	}
	/* kvmppc_hpt_needs_host_contiguous_pages: KVM_PPC_PAGE_SIZES_REAL in the SMMU info flags */
	if (ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_PPC_GET_SMMU_INFO) > 0) {
		struct kvm_ppc_smmu_info s;

		memset(&s, 0, sizeof(s));
		r = ioctl(vm, KVM_PPC_GET_SMMU_INFO, &s);
		if (r < 0)
			fact_err("SMMU_FLAGS", errno);
		else
			fact("SMMU_FLAGS", "0x%llx", (unsigned long long)s.flags);
	}
	close(vm);
	close(sys);
done:
	fact("DONE", "1");
	return 0;
}

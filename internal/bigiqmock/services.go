package bigiqmock

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"time"
)

// How the mock lists a device in the machineid-resolver (Fixture.DeviceShape).
const (
	// DeviceShape52 is the 5.2-era item of F5's OAuth token revocation how-to
	// (contributing/bigiq-api.md), about 2.5 KB: Access
	// and the BIG-IP device groups only. It is the default.
	DeviceShape52 = "5.2"
	// DeviceShape8 is the item of a BIG-IQ 7.x or 8.x that has discovered
	// LTM, ASM, AFM and DNS beside Access, 20 to 30 KB: properties also hold
	// one block per service and, on a clustered device, one per service and
	// cluster, each with about a hundred supports… feature flags, the shape
	// of an item captured from a BIG-IQ managing BIG-IP 14.1.2.6.
	DeviceShape8 = "8"
)

// service is one module a BIG-IQ 7/8 discovers on a BIG-IP beside Access,
// with the device groups it lists the device in.
type service struct {
	group         string // the all-devices group of the service
	clusterPrefix string // its per-cluster group is clusterPrefix+<cluster>; "" if none
	guiModule     string // what the block's cm:gui:module names
	module        string // what the block's modules name; "" for none
	flags         []byte // the block's supports… flags, rendered once: `"supportsX":true,...`
}

var services = []service{
	{
		// The 5.2 shape has this block too, without the flags.
		group: "cm-bigip-allBigIpDevices", guiModule: "BigIPDevice",
		flags: serviceFlags("bigip", []string{
			"ConfigSync", "Failover", "TrafficGroup", "DeviceTrust", "Ucs", "License", "Provisioning",
			"Partition", "RemoteAuth", "UserRoles", "Ntp", "Snmp", "Syslog", "DnsResolver", "HaGroup",
			"Interface", "ManagementRoute", "Hotfix", "SoftwareImage", "QkView",
		}),
	},
	{
		group: "cm-adccore-allbigipDevices", clusterPrefix: "cm-adccore-adccluster_",
		guiModule: "adc", module: "All BIG-IP devices with LTM",
		flags: serviceFlags("adc", []string{
			"VirtualServer", "Pool", "PoolMember", "Node", "Monitor", "HttpProfile", "ClientSslProfile",
			"ServerSslProfile", "IRule", "SnatPool", "Snat", "SelfIp", "Vlan", "RouteDomain", "Route",
			"Trunk", "Certificate", "DataGroup", "LtmPolicy", "Persistence",
		}),
	},
	{
		group: "cm-asm-allAsmDevices", clusterPrefix: "cm-asm-asmCluster_",
		guiModule: "asmsecurity", module: "All BIG-IP devices with ASM",
		flags: serviceFlags("asm", []string{
			"AsmPolicy", "Signature", "SignatureSet", "AsmUrl", "AsmParameter", "FileType", "AsmHeader",
			"AsmCookie", "AsmMethod", "Violation", "BotDefense", "DosProfile", "PolicyBuilder", "Whitelist",
			"Geolocation", "SessionTracking", "WebScraping", "BruteForce", "DataGuard", "LoginPage",
		}),
	},
	{
		group:     "cm-security-shared-allSharedDevices",
		guiModule: "sharedsecurity", module: "All BIG-IP devices with shared security",
		flags: serviceFlags("afm", []string{
			"FirewallRule", "AddressList", "PortList", "RuleList", "Schedule", "NatPolicy", "SourceTranslation",
			"DestinationTranslation", "IpIntelligence", "LogProfile", "DosDevice", "ProtocolInspection",
			"ServicePolicy", "TimerPolicy", "PortMisuse", "FqdnResolver", "GlobalRules", "ManagementPortRules",
			"SecurityZone", "EvictionPolicy",
		}),
	},
	{
		group: "cm-dns-allBigIpDevices", clusterPrefix: "cm-dns-dnsCluster_",
		guiModule: "dns", module: "All BIG-IP devices with DNS",
		flags: serviceFlags("dns", []string{
			"WideIp", "GslbPool", "GslbServer", "DataCenter", "DnsListener", "ProberPool", "Topology",
			"Region", "DnssecZone", "DnssecKey", "DnsZone", "DnsRecord", "DnsCache", "DnsExpress",
			"GslbMonitor", "SyncGroup", "LinkController", "DistributedApp", "DnsProfile", "Nameserver",
		}),
	},
}

// serviceFlags renders the supports… flags of a service: every object with
// every aspect, about a hundred, most true. The values depend only on the
// name, so every run lists the same bytes.
func serviceFlags(service string, objects []string) []byte {
	var b bytes.Buffer
	for _, object := range objects {
		for _, aspect := range []string{"", "Enhs", "Stats", "Import", "Deploy"} {
			name := "supports" + object + aspect
			h := fnv.New32a()
			_, _ = h.Write([]byte(service + "/" + name))
			fmt.Fprintf(&b, "%q:%t,", name, h.Sum32()%7 != 0)
		}
	}
	return b.Bytes()
}

// serviceBlocks renders the service blocks of a BIG-IQ 7/8 device item as
// JSON object members (no enclosing braces), each followed by a comma:
// every service's all-devices block and, on a clustered device, the
// per-cluster block of the services that have one. Discovery needs trust,
// so a device without it has none.
func serviceBlocks(d *FixtureDevice) []byte {
	if !d.TrustEstablished {
		return nil
	}
	discovered := time.UnixMicro(lastUpdate(d.LastUpdateMicros)).UTC().Format("2006-01-02T15:04:05.000Z")
	discoverer := nameUUID("discoverer/" + d.UUID)
	var b bytes.Buffer
	block := func(group string, s *service) {
		half := bytes.IndexByte(s.flags[len(s.flags)/2:], ',') + len(s.flags)/2 + 1
		fmt.Fprintf(&b, "%q:{", group)
		// Flags before and after the status fields, as BIG-IQ mixes them,
		// so a reader cannot stop early.
		b.Write(s.flags[:half])
		b.WriteString(`"discovered":true,"imported":true,`)
		if d.ClusterName != "" {
			fmt.Fprintf(&b, `"clusterName":%q,`, d.ClusterName)
		}
		fmt.Fprintf(&b, `"discoveryStatus":"FINISHED","importStatus":"FINISHED",`+
			`"lastDiscoveredDateTime":%q,"lastUserDiscoveredDateTime":%q,"importedDateTime":%q,`+
			`"cm:import-version":%q,"shared:resolver:device-groups:discoverer":%q,`,
			discovered, discovered, discovered, d.Version, discoverer)
		b.Write(s.flags[half:])
		fmt.Fprintf(&b, `"cm:gui:module":[%q],"modules":[`, s.guiModule)
		if s.module != "" {
			fmt.Fprintf(&b, "%q", s.module)
		}
		b.WriteString("]},")
	}
	for i := range services {
		block(services[i].group, &services[i])
	}
	if d.ClusterName != "" {
		for i := range services {
			if services[i].clusterPrefix != "" {
				block(services[i].clusterPrefix+d.ClusterName, &services[i])
			}
		}
	}
	return b.Bytes()
}

// deviceProperties8 is deviceProperties with the service blocks of a
// BIG-IQ 7/8 added, and the top-level cm:gui:module and modules naming
// those services.
func deviceProperties8(d *FixtureDevice) []byte {
	props := deviceProperties(d)
	blocks := serviceBlocks(d)
	if blocks == nil {
		return mustJSON(props)
	}
	gui, _ := props["cm:gui:module"].([]string) // deviceProperties always sets both
	modules, _ := props["modules"].([]string)
	for _, s := range services {
		delete(props, s.group) // replaced by the block with flags
		if !slices.Contains(gui, s.guiModule) {
			gui = append(gui, s.guiModule)
		}
		if s.module != "" {
			modules = append(modules, s.module)
		}
	}
	props["cm:gui:module"], props["modules"] = gui, modules
	rest := mustJSON(props) // {...}, never empty
	out := make([]byte, 0, len(blocks)+len(rest)+1)
	out = append(out, '{')
	out = append(out, blocks...)
	return append(out, rest[1:]...)
}

// CheckDeviceShape accepts the shapes the mock can list ("" is the default).
func CheckDeviceShape(shape string) error {
	switch shape {
	case "", DeviceShape52, DeviceShape8:
		return nil
	}
	return problem("deviceShape", "%s is neither %s nor %s", strconv.Quote(shape), strconv.Quote(DeviceShape52), strconv.Quote(DeviceShape8))
}

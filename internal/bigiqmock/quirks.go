package bigiqmock

// Quirks switch on variations that real BIG-IQs, or F5's own samples and
// test code, show on the wire, so a client can be tested against each.
// The zero value is the behaviour F5's revocation how-to documents. Set
// them with Options.Quirks or, mid-test, SetQuirks; each
// applies to what happens after it is set.
type Quirks struct {
	// CanceledSpelling ends a canceled task in status "CANCELED", the
	// spelling of F5's own test code, instead of "CANCELLED".
	CanceledSpelling bool
	// CreatedFirst makes a new task report status "CREATED", not yet
	// started, for the first quarter of its duration (the POST answer
	// included), before "STARTED".
	CreatedFirst bool
	// PostAccepted answers the task POST with 202 Accepted, as some
	// BIG-IQ task endpoints do, instead of 200.
	PostAccepted bool
	// ClientIDInDBInstance reports each id a task could not revoke with
	// the client id in dbInstance and clientId "", as one of F5's samples
	// does, instead of dbInstance "/Common/oauthdb".
	ClientIDInDBInstance bool
	// DeviceGroupLinks writes the device of each failureDetails and
	// resultDetails entry in the device-groups form,
	// https://localhost/mgmt/shared/resolver/device-groups/cm-access-allBigIpDevices/devices/<machine id>,
	// instead of the machineid-resolver form.
	DeviceGroupLinks bool
	// UserReferenceOnly names the account that started a task by
	// userReference alone, leaving out username.
	UserReferenceOnly bool
	// NoNextLink leaves nextLink out of collection pages, as some BIG-IQ
	// collections do: only totalItems tells that more items follow, and a
	// client pages on with $skip.
	NoNextLink bool
}

// SetQuirks replaces the wire variations for what happens from now on.
func (m *Mock) SetQuirks(q Quirks) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.quirks = q
}

// canceledStatus is how this BIG-IQ spells a canceled task's status.
func (q Quirks) canceledStatus() string {
	if q.CanceledSpelling {
		return statusCanceled
	}
	return statusCancelled
}

// failureLink is how this BIG-IQ names a device in failure details.
func (q Quirks) failureLink(uuid string) link {
	if q.DeviceGroupLinks {
		return link{selfHost + pathDeviceGroups + "/" + groupAllAccessDevices + "/devices/" + uuid}
	}
	return link{deviceLink(uuid)}
}

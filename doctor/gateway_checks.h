// `akgate doctor --gateway-config FILE`: akgate-gateway's configuration,
// checked as the gateway would load it (gateway/config.h), and what it
// relies on: its routes, its TLS certificates' validity and expiry, whether
// rights given by name rest on a verified identity, and, in gateway-held
// mode, what only the upstream can enforce.
#pragma once

#include <ctime>
#include <string>

#include "doctor/check.h"

namespace akgate::doctor {

void CheckGatewayConfig(const std::string& path, Report* r);

// A PEM certificate's validity at `now` into `g` (check id "gateway.tls"):
// expired or not yet valid is a risk, 30 days or less left a warning.
void CheckCertificate(const std::string& cert_file, std::time_t now, Group* g);

}  // namespace akgate::doctor

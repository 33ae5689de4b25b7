#!/bin/sh
export VAULT_ADDR=https://vault.acme.dev:8200
export VAULT_TOKEN=hvs.CAESIlFkwHZRiKNI0Ec0DqVx0SauDDU3rl6dIpi34qg3yzLYy7IgPBeklNFWfTQ5ox_qEkTHcEb5zxYwa4CBQmDmVItqb2N
vault kv get secret/payments

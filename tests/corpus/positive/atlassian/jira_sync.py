from atlassian import Jira

jira = Jira(url="https://acme.atlassian.net", username="bot@acme.dev",
            password="ATATT3xFfGF0Zc26LdrQAmanujXbGaV-RiQ0NTrngt42fEcu6_olsMJJXRxj3s51ao9TKGkqMtjXFel_Ako3axCS-gqG_Z1kYImsDJYtd0bU0E9KkeduDRp77W4fFWuG7xhQTQVq6o5-UDzMn8gswQeLBN6pAmRGc-ixvOp3jHJpv-inVpDcar=F3E0677E")
BITBUCKET_APP_PASSWORD = "ATBBC8Undhs3pSq1CnysPoPmf9xAFXtHzpIt"

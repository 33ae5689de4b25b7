$uri = "https://prod-37.westeurope.logic.azure.com:443/workflows/c5432e0cf7055017f7bc0223496b9364/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=LndGrS1YFBqPIBZcAsRXWoOcIkAwfqTE_GMYVpEC1sJ"
$legacy = "https://acme.webhook.office.com/webhookb2/23a52a82-7d0d-453f-bc1c-69ab64ab8045@a790ab39-416f-4030-a9b0-5427f71d7f62/IncomingWebhook/954f8281d9c89490e26777a84e315872/2b3755cd-937d-4ac3-b930-4355b31c132b"
Invoke-RestMethod -Method Post -Uri $uri -Body (@{ text = "Backup finished" } | ConvertTo-Json) -ContentType 'application/json'

import google.generativeai as genai

genai.configure(api_key="AIzad_7hayK7Wc9m4pXFe3uFzp_nt6fLIv3ux-O")
model = genai.GenerativeModel("gemini-1.5-flash")
# token from `gcloud auth print-access-token`, pasted while debugging
HEADERS = {"Authorization": "Bearer ya29.hLFOLDj7Z9E2CcAeVt1OGRYQseU0ABugaMS3SHzQZvA2Z6eHa20OhtfP7B-9__Vu6QDsa95cWp4TM4UygFe4VfIso-jRJwp4NrNNG8aKf0pfQK8Rc8gqOJmk3miICPfxmq0kurtz6OUqGo6-GeUsbR"}

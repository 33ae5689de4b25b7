type
  TLogin = record
    UserName: UTF8String;
    Password: PWideChar;
    NewPassword: UNICODE_STRING;
  end;
const
  REGSTR_VALUE_SCRPASSWORD = 'ScreenSave_Data';
  CURLOPT_PASSWORD = CURLOPTTYPE_STRINGPOINT + 174;
  PSecPkgContextAccessToken = PSecPkgContext_AccessToken;
